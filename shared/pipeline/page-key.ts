import { createHash } from 'node:crypto';

/**
 * A deterministic key for a page of work: the same input always gives the same key (so SQS FIFO
 * deduplication and the aggregator's markers recognise a repeat), and different content a different
 * key (so a page re-read with more records in it is never mistaken for the earlier one).
 * At most 60 characters, within SQS's 128 for deduplication ids even with part suffixes.
 */
export const pageKeyOf = (prefix: string, ...parts: unknown[]): string =>
  `${prefix}:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40)}`;
