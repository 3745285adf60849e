/**
 * Runtime validation of API responses with the shared schemas of `@tooltrace/conventions`
 * (the same ones the query API answers with), so a contract drift shows up as a clear error
 * naming the field instead of a blank screen.
 */
import type { z } from 'zod';

export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
}

/** Parses a response body or throws an error naming the endpoint and the first fields that did not match. */
export function parseResponse<T>(schema: z.ZodType<T>, body: unknown, endpoint: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new UnexpectedResponseError(`unexpected response from ${endpoint}: ${problems}`);
}
