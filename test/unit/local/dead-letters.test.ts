import { describe, expect, it } from '@jest/globals';
import { withoutRedriveLeftovers } from '../../../local/dead-letters.js';
import type { JournaledMessage } from '../../../local/queue-journal.js';
import { QUEUES } from '../../../shared/messages/queues.js';

const FETCH = QUEUES.fetchJobs.localName;
const FETCH_DLQ = QUEUES.fetchJobs.dlqLocalName;
const CHANGES = QUEUES.changes.localName;
const CHANGES_DLQ = QUEUES.changes.dlqLocalName;

const message = (queue: string, id: string, body: string): JournaledMessage => ({
  queue,
  id,
  body,
  groupId: 'acme',
  deduplicationId: `dedup-${id}`,
});

describe('withoutRedriveLeftovers: what a restart puts back after a redrive died between its send and its delete', () => {
  const rows: [rule: string, pending: JournaledMessage[], kept: string[]][] = [
    [
      'a parked message whose copy is back in its own queue: the copy is the work, the parked one is dropped',
      [message(FETCH_DLQ, 'parked', '{"job":1}'), message(FETCH, 'redriven', '{"job":1}')],
      ['redriven'],
    ],
    [
      'a parked message with no copy in its queue stays parked',
      [message(FETCH_DLQ, 'parked', '{"job":1}'), message(FETCH, 'other', '{"job":2}')],
      ['parked', 'other'],
    ],
    [
      'a parked message whose body is in another queue (not its own) stays parked',
      [message(CHANGES_DLQ, 'parked', '{"job":1}'), message(FETCH, 'other', '{"job":1}')],
      ['parked', 'other'],
    ],
    [
      'two messages of one queue with one body are both kept: only dead-letter copies are dropped',
      [message(CHANGES, 'a', '{"page":1}'), message(CHANGES, 'b', '{"page":1}')],
      ['a', 'b'],
    ],
    [
      "the emulator's own move (the message only in its dead-letter queue) stays parked",
      [message(CHANGES_DLQ, 'moved', '{"page":1}')],
      ['moved'],
    ],
  ];

  it.each(rows)('%s', (_rule, pending, kept) => {
    expect(withoutRedriveLeftovers(pending).map((m) => m.id)).toEqual(kept);
  });
});
