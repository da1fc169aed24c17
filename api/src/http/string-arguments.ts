// Strings neither database stores faithfully (see unstorable.ts) are refused before any resolver
// runs. Checked once here for every argument of every field, in literals and in variables, rather
// than per field.
import { BREAK, type DocumentNode, Kind, type ValueNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badInput } from '../errors.ts';
import { isUnstorable } from './unstorable.ts';

export function refuseUnstorableStrings(): Plugin {
  const check = (document: DocumentNode, variables: Record<string, unknown> | null | undefined) => {
    const field = unstorableArgument(document, variables ?? {});
    return field === null ? null : { errors: [badInput(field, `"${field}" holds a NUL character or a lone UTF-16 surrogate, which cannot be stored.`)] };
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = check(args.document, args.variableValues);
      if (refusal) setResultAndStopExecution(refusal);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = check(args.document, args.variableValues);
      if (refusal) setResultAndStopExecution(refusal);
    },
  };
}

/**
 * The path of the first argument holding an unstorable string, written as GraphQL writes paths in its
 * own errors ("title", "input.name", "ids[2]"), or null.
 */
function unstorableArgument(document: DocumentNode, variables: Record<string, unknown>): string | null {
  if (!takesArguments(document)) return null;
  // A variable the request leaves out takes its default, which is written in the document.
  const defaults = new Map<string, ValueNode>();
  let found: string | null = null;
  visit(document, {
    VariableDefinition(node) {
      if (node.defaultValue) defaults.set(node.variable.name.value, node.defaultValue);
      return false;
    },
    Argument(node) {
      found ??= inLiteral(node.value, node.name.value, (name) => (name in variables ? { value: variables[name] } : { literal: defaults.get(name) }));
      return false;
    },
  });
  return found;
}

/**
 * Whether any field of the document takes an argument, once per document (Yoga's parse cache hands
 * back the same DocumentNode for the same query text). Walking the whole document cost ~3% of the
 * server's CPU for an authenticated `me`, which has none.
 */
function takesArguments(document: DocumentNode): boolean {
  let known = documentsWithArguments.get(document);
  if (known === undefined) {
    known = false;
    visit(document, {
      Argument() {
        known = true;
        return BREAK;
      },
    });
    documentsWithArguments.set(document, known);
  }
  return known;
}
const documentsWithArguments = new WeakMap<DocumentNode, boolean>();

type VariableSource = (name: string) => { value: unknown } | { literal: ValueNode | undefined };

function inLiteral(node: ValueNode, path: string, variable: VariableSource): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return isUnstorable(node.value) ? path : null;
    case Kind.VARIABLE: {
      const source = variable(node.name.value);
      if ('value' in source) return inValue(source.value, path);
      return source.literal ? inLiteral(source.literal, path, variable) : null;
    }
    case Kind.LIST:
      return firstOf(node.values, (item, i) => inLiteral(item, `${path}[${i}]`, variable));
    case Kind.OBJECT:
      return firstOf(node.fields, (f) => inLiteral(f.value, `${path}.${f.name.value}`, variable));
    default:
      return null;
  }
}

/** Variables are plain JSON, including JSON-scalar arguments and their keys. */
function inValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isUnstorable(value) ? path : null;
  if (Array.isArray(value)) return firstOf(value, (item, i) => inValue(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return firstOf(Object.entries(value), ([key, item]) => (isUnstorable(key) ? path : inValue(item, `${path}.${key}`)));
  }
  return null;
}

function firstOf<T>(items: readonly T[], find: (item: T, index: number) => string | null): string | null {
  for (const [index, item] of items.entries()) {
    const found = find(item, index);
    if (found !== null) return found;
  }
  return null;
}
