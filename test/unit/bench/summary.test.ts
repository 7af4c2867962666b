import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { QueueSummariser, summariseQueues } from '../../../bench/summary.js';

const queues = [
  {
    name: 'Calls Inbound For Sales',
    channel: 'phone',
    source: 'talk',
    viewId: undefined,
    intervals: [{ start: '2026-03-01T09:00:00.000Z', contacts: 2, handled: 1 }],
  },
  {
    name: 'Open (email)',
    viewId: 7,
    channel: 'email',
    source: 'support',
    intervals: [
      { start: '2026-03-01T09:00:00.000Z', contacts: 3, backlog: 4 },
      { start: '2026-03-01T09:15:00.000Z', contacts: 1, backlog: 2 },
    ],
  },
];

/**
 * The queues' JSON with every object's keys sorted and undefined fields dropped, written out by
 * hand: the sandbox's child and the pipeline's read-back must produce these very bytes.
 */
const CANONICAL =
  '[{"channel":"phone","intervals":[{"contacts":2,"handled":1,"start":"2026-03-01T09:00:00.000Z"}],"name":"Calls Inbound For Sales","source":"talk"},' +
  '{"channel":"email","intervals":[{"backlog":4,"contacts":3,"start":"2026-03-01T09:00:00.000Z"},{"backlog":2,"contacts":1,"start":"2026-03-01T09:15:00.000Z"}],"name":"Open (email)","source":"support","viewId":7}]';

describe('the benchmark’s queue summary', () => {
  it('digests the canonical JSON of the queues: keys sorted, undefined dropped, whatever order they were written in', () => {
    expect(summariseQueues(queues)).toEqual({
      digest: createHash('sha256').update(CANONICAL).digest('hex'),
      queues: 2,
      intervals: 3,
      contacts: 6,
      contactsByQueue: { 'Calls Inbound For Sales': 2, 'Open (email) [view 7]': 4 },
    });
  });

  it('summarises queue by queue to the same digest as the whole list, so a long history need not be held', () => {
    const summariser = new QueueSummariser();
    for (const queue of queues) summariser.add(queue);
    expect(summariser.summary()).toEqual(summariseQueues(queues));
  });

  it('digests no queue as the empty array', () => {
    expect(summariseQueues([]).digest).toBe(createHash('sha256').update('[]').digest('hex'));
  });
});
