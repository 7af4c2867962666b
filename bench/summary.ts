import { createHash } from 'node:crypto';
import { eachQueueWithBacklog, type ReadbackDeps } from '../shared/pipeline/readback.js';
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

/**
 * Summarises queues one at a time, in their order: the digest is that of the queues' JSON array
 * (`summariseQueues`), written element by element, so a history of any length is summarised
 * without being held at once.
 */
export class QueueSummariser {
  private readonly hash = createHash('sha256').update('[');
  private queues = 0;
  private intervals = 0;
  private contacts = 0;
  private readonly contactsByQueue: Record<string, number> = {};

  add(queue: SummarisedQueue): void {
    this.hash.update(`${this.queues > 0 ? ',' : ''}${JSON.stringify(canonical(queue))}`);
    const contacts = queue.intervals.reduce((m, i) => m + i.contacts, 0);
    this.queues += 1;
    this.intervals += queue.intervals.length;
    this.contacts += contacts;
    this.contactsByQueue[queue.viewId === undefined ? queue.name : `${queue.name} [view ${queue.viewId}]`] =
      contacts;
  }

  /** The summary of the queues added so far; the summariser is done with after it. */
  summary(): QueueSummary {
    return {
      digest: this.hash.update(']').digest('hex'),
      queues: this.queues,
      intervals: this.intervals,
      contacts: this.contacts,
      contactsByQueue: { ...this.contactsByQueue },
    };
  }
}

export const summariseQueues = (queues: readonly SummarisedQueue[]): QueueSummary => {
  const summariser = new QueueSummariser();
  for (const queue of queues) summariser.add(queue);
  return summariser.summary();
};

/**
 * The summary of an integration's published queue histories, read queue by queue: the large
 * account's 600,000 intervals are never held at once, so the check after a run costs no more
 * memory than the run.
 */
export const summarisePublished = async (
  deps: Pick<ReadbackDeps, 'catalog' | 'views' | 'queueHistory'>,
  integrationId: string,
): Promise<QueueSummary> => {
  const summariser = new QueueSummariser();
  await eachQueueWithBacklog(deps, integrationId, {}, ({ queue }) => summariser.add(queue));
  return summariser.summary();
};

/** The queues whose contact totals differ, as `name: published ≠ expected`. */
export const queueDifferences = (published: QueueSummary, expected: QueueSummary): string[] =>
  [...new Set([...Object.keys(published.contactsByQueue), ...Object.keys(expected.contactsByQueue)])]
    .filter((q) => published.contactsByQueue[q] !== expected.contactsByQueue[q])
    .sort()
    .map((q) => `${q}: ${published.contactsByQueue[q] ?? 0} ≠ ${expected.contactsByQueue[q] ?? 0}`);
