import type { z } from 'zod';
import { decodeBody } from './body.js';

/** A zod error as one line that names each offending field (its path), never the value. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');

/** Thrown when an SQS message does not match its contract: permanent, so it goes to the DLQ at once. */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
  constructor(
    readonly queue: string,
    readonly reason: string,
  ) {
    super(`Malformed ${queue} message: ${reason}`);
  }
}

/**
 * Parses a message body (plain or compressed JSON, see body.ts) with its schema, turning JSON and
 * schema failures into MalformedMessageError.
 */
export const parseMessage = <T>(queue: string, schema: z.ZodType<T>, body: string): T => {
  let json: unknown;
  try {
    json = JSON.parse(decodeBody(body));
  } catch {
    throw new MalformedMessageError(queue, '(root): not JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new MalformedMessageError(queue, describeIssues(result.error));
  return result.data;
};
