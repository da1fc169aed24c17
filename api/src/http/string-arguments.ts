// Strings neither database stores faithfully are refused before any resolver runs, the same way on
// both: a lone UTF-16 surrogate (valid in JSON, not in UTF-8) made Prisma fail with "unexpected end
// of hex escape" on SQLite and PostgreSQL alike, and a NUL byte is refused by PostgreSQL ("invalid
// byte sequence") while SQLite keeps it. Checked once here for every argument of every field, in
// literals and in variables, rather than per field.
import { type DocumentNode, Kind, type ValueNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badInput } from '../errors.ts';

const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/;

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

/** The path of the first argument ("title", "input.name", "ids.2") holding an unstorable string, or null. */
function unstorableArgument(document: DocumentNode, variables: Record<string, unknown>): string | null {
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      found ??= inLiteral(node.value, node.name.value, variables);
      return false;
    },
  });
  return found;
}

function inLiteral(node: ValueNode, path: string, variables: Record<string, unknown>): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return UNSTORABLE.test(node.value) ? path : null;
    case Kind.VARIABLE:
      return inValue(variables[node.name.value], path);
    case Kind.LIST:
      return firstOf(node.values, (item, i) => inLiteral(item, `${path}.${i}`, variables));
    case Kind.OBJECT:
      return firstOf(node.fields, (f) => inLiteral(f.value, `${path}.${f.name.value}`, variables));
    default:
      return null;
  }
}

/** Variables are plain JSON, including JSON-scalar arguments and their keys. */
function inValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) return firstOf(value, (item, i) => inValue(item, `${path}.${i}`));
  if (value && typeof value === 'object') {
    return firstOf(Object.entries(value), ([key, item]) => (UNSTORABLE.test(key) ? path : inValue(item, `${path}.${key}`)));
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
