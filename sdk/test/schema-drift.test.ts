// The SDK's idea of the API must match the schema the API prints (api/schema.graphql). When the API
// changes its contract, one of these fails and says what to update.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { print } from '@0no-co/graphql.web';
import {
  buildSchema,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  isObjectType,
  parse,
  validate,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import * as documents from '../src/documents';
import { toolDocuments } from '../src/tools';
import * as occasionalDocuments from '../src/occasional-documents';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const schema = buildSchema(readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8'));

const tools = await toolDocuments();
const all = Object.entries({ ...documents, ...tools, ...occasionalDocuments }).flatMap(([name, value]) =>
  value && typeof value === 'object' && 'kind' in value && value.kind === 'Document' ? [{ name, source: print(value) }] : [],
);
const operations = all.filter(({ source }) => /^\s*(query|mutation|subscription)\b/m.test(source));
const fragments = all.filter(({ source }) => /^\s*fragment\b/.test(source));

describe('the SDK against api/schema.graphql', () => {
  test('has documents to check', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  test.each(operations)('$name is valid against the schema', ({ source }) => {
    const errors = validate(schema, parse(source)).map((error) => error.message);
    expect(errors).toEqual([]);
  });

  // Fields the SDK deliberately leaves to other calls.
  // Memory.lastUsedAt: the order of `memories` already says it. User.disabled, Bot.disabled, User.usage
  // and User.quotaOverride: the admin console's and quota's own (asked for where they are needed).
  const loadedElsewhere: Record<string, string[]> = {
    ChatSession: ['messages', 'share'],
    Feedback: ['message'],
    Memory: ['lastUsedAt'],
    User: ['usage', 'quotaOverride', 'disabled'],
    Bot: ['disabled'],
  };

  // A type's fields may be split over fragments (MessageFields for every message, MessageToolsFields
  // for history): together they select all of them, and no two select the same field.
  const fragmentsByType = new Map<string, FragmentDefinitionNode[]>();
  for (const { source } of fragments) {
    const fragment = parse(source).definitions[0] as FragmentDefinitionNode;
    const typeName = fragment.typeCondition.name.value;
    fragmentsByType.set(typeName, [...(fragmentsByType.get(typeName) ?? []), fragment]);
  }
  test.each([...fragmentsByType.keys()])("the fragments on %s select every field of it, so the public type is complete", (typeName) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    const selected = fragmentsByType.get(typeName)!.flatMap((fragment) =>
      fragment.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === 'Field').map((field) => field.name.value),
    );
    const expected = Object.keys(type.getFields()).filter((field) => !loadedElsewhere[type.name]?.includes(field));
    expect(selected.sort()).toEqual(expected.sort());
  });

  test('the SessionEvent union is handled member by member', () => {
    const union = getNamedType(schema.getSubscriptionType()!.getFields().sessionEvents!.type);
    const handled = [...readFileSync(new URL('../src/event-hub.ts', import.meta.url), 'utf8').matchAll(/case '((?:Message|Session|Path)\w+)':/g)].map(
      (match) => match[1],
    );
    expect(handled.sort()).toEqual(schema.getPossibleTypes(union as never).map((member) => member.name).sort());
  });

  test('src/graphql-env.d.ts (the types behind every result) is generated from the current schema', () => {
    expect(() => execFileSync(process.execPath, ['scripts/schema-types.mjs', '--check'], { cwd: sdkDir, stdio: 'pipe' })).not.toThrow();
  });

  test('every result still fits the public types (tsc)', () => {
    const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], { cwd: sdkDir, stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: Buffer }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 120_000);
});
