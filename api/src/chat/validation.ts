// Input validation: zod schemas live beside the operations; this turns their verdict into BAD_USER_INPUT.
import type { z } from 'zod';
import { badInput } from '../errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, field?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badInput(field ?? issue.path.join('.') ?? 'input', issue.message);
}
