import { createHash } from 'node:crypto';
import type { QueueSummary } from './protocol.js';

/**
 * Queue histories as a digest and totals. The JSON is canonical (keys sorted, undefined dropped),
 * so the pipeline's read-back and the sandbox's expected queues, built by different code, compare
 * by value rather than by the order their fields were written in.
 */
interface SummarisedQueue {
  readonly name: string;
  readonly viewId?: number;
  readonly intervals: readonly { readonly contacts: number }[];
}

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
};

export const summariseQueues = (queues: readonly SummarisedQueue[]): QueueSummary => ({
  digest: createHash('sha256')
    .update(JSON.stringify(canonical(queues)))
    .digest('hex'),
  queues: queues.length,
  intervals: queues.reduce((n, q) => n + q.intervals.length, 0),
  contacts: queues.reduce((n, q) => n + q.intervals.reduce((m, i) => m + i.contacts, 0), 0),
  contactsByQueue: Object.fromEntries(
    queues.map((q) => [
      q.viewId === undefined ? q.name : `${q.name} [view ${q.viewId}]`,
      q.intervals.reduce((m, i) => m + i.contacts, 0),
    ]),
  ),
});

/** The queues whose contact totals differ, as `name: published ≠ expected`. */
export const queueDifferences = (published: QueueSummary, expected: QueueSummary): string[] =>
  [...new Set([...Object.keys(published.contactsByQueue), ...Object.keys(expected.contactsByQueue)])]
    .filter((q) => published.contactsByQueue[q] !== expected.contactsByQueue[q])
    .sort()
    .map((q) => `${q}: ${published.contactsByQueue[q] ?? 0} ≠ ${expected.contactsByQueue[q] ?? 0}`);
