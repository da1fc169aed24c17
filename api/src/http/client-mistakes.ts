// Client mistakes that libraries report without a code, recognised in one place so that they reach the
// client as BAD_USER_INPUT with the field, instead of being masked and logged as server faults:
// - variables the executor could not coerce (missing, null for non-null, a String for an Int, an
//   unknown input field, an Int beyond 32 bits);
// - arguments Pothos refuses while resolving: connection arguments (negative first/last, a garbage
//   cursor, before with first, after with last) on every connection, and malformed global ids.
import { PothosValidationError } from '@pothos/core';
import { type FieldNode, GraphQLError, Kind } from 'graphql';
import type { ErrorCode } from '../errors.ts';

const VARIABLE_ERROR = /^Variable "\$(\w+)"(?: got invalid value .*? at "([^"]+)")?/s;
const UNKNOWN_INPUT_FIELD = /Field "(\w+)" is not defined by type/;
const NAMED_ARGUMENT = /^Arguments? "(\w+)"/;
const CURSOR_ARGUMENTS = ['after', 'before'];

/** The client-facing error for a mistake a library reported without a code, or null for anything else. */
export function asClientMistake(error: GraphQLError): GraphQLError | null {
  if (error.originalError instanceof PothosValidationError) return badInput(error, argumentOf(error));
  const variable = error.path ? null : VARIABLE_ERROR.exec(error.message);
  if (variable) {
    const unknownField = UNKNOWN_INPUT_FIELD.exec(error.message)?.[1];
    const field = [variable[2] ?? variable[1], unknownField].filter(Boolean).join('.');
    return badInput(error, field);
  }
  return null;
}

/**
 * Which argument Pothos refused: the one its message names, the cursor given (its cursor messages
 * name none), the field's only argument, or else the field itself.
 */
function argumentOf(error: GraphQLError): string {
  const named = NAMED_ARGUMENT.exec(error.message)?.[1];
  if (named) return named;
  const field = error.nodes?.find((node): node is FieldNode => node.kind === Kind.FIELD);
  const given = field?.arguments?.map((argument) => argument.name.value) ?? [];
  if (/cursor/i.test(error.message)) {
    const cursor = given.find((name) => CURSOR_ARGUMENTS.includes(name));
    if (cursor) return cursor;
  }
  if (given.length === 1) return given[0];
  return String(error.path?.at(-1) ?? field?.name.value ?? 'arguments');
}

/** The library's message, which says what was wrong, kept where it was raised. */
function badInput(error: GraphQLError, field: string): GraphQLError {
  const code: ErrorCode = 'BAD_USER_INPUT';
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { code, field } });
}
