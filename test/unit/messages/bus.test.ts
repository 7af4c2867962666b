import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsMessageBus } from '../../../shared/messages/bus.js';
import { decodeBody } from '../../../shared/messages/body.js';
import {
  ContactsMessageSchema,
  MAX_FACTS_PER_MESSAGE,
  type ContactsMessage,
  type UpdateInViewFact,
} from '../../../shared/messages/contacts.js';
import type { QueueUrls } from '../../../shared/messages/queues.js';

const sqs = mockClient(SQSClient);
const bus = new SqsMessageBus(new SQSClient({}), { contacts: 'contacts.fifo' } as QueueUrls);

/** An update's backlog move in one view's queue: the smallest fact a busy page has thousands of. */
const fact = (updateId: number): UpdateInViewFact => ({
  kind: 'update_in_view',
  updateId,
  at: '2026-11-02T10:00:00.000Z',
  contribution: {
    queue: {
      id: 'support:360100001:email',
      name: 'Support Tickets (email)',
      channel: 'email',
      source: 'support',
      viewId: 360100001,
    },
    intervalStart: '2026-11-02T10:00:00.000Z',
    contacts: 0,
    handled: 0,
    handleSeconds: 0,
    support: { reopens: 0, backlogEntered: 1, backlogLeft: 0 },
  },
});

const page = (facts: number): ContactsMessage => ({
  version: 2,
  pageKey: 'ticket_events:i-1:1700000000',
  integrationId: 'i-1',
  facts: Array.from({ length: facts }, (_, i) => fact(i + 1)),
});

/** What the aggregator receives: each sent body, read with the consumer's own schema. */
const received = () =>
  sqs.commandCalls(SendMessageCommand).map((call) => {
    const input = call.args[0].input;
    const message = ContactsMessageSchema.parse(JSON.parse(decodeBody(input.MessageBody!)));
    return { key: input.MessageDeduplicationId, group: input.MessageGroupId, facts: message.facts };
  });

describe('SqsMessageBus.sendContacts: a page is sent as parts its consumer accepts', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
  });

  const rows: [rule: string, facts: number, parts: [key: string, facts: number][]][] = [
    ['a page within the limit goes whole, under its own key', 10, [['ticket_events:i-1:1700000000', 10]]],
    [
      'a page of exactly the limit goes whole',
      MAX_FACTS_PER_MESSAGE,
      [['ticket_events:i-1:1700000000', MAX_FACTS_PER_MESSAGE]],
    ],
    [
      // Such facts compress far below SQS's size limit: the count, not the size, splits the page.
      'a page of more facts than the consumer takes goes in runs of at most the limit, keyed in order',
      2 * MAX_FACTS_PER_MESSAGE + 2000,
      [
        ['ticket_events:i-1:1700000000.0', MAX_FACTS_PER_MESSAGE],
        ['ticket_events:i-1:1700000000.1', MAX_FACTS_PER_MESSAGE],
        ['ticket_events:i-1:1700000000.2', 2000],
      ],
    ],
  ];
  it.each(rows)('%s', async (_rule, facts, parts) => {
    await bus.sendContacts(page(facts));
    const sent = received();
    expect(sent.map((s) => [s.key, s.facts.length])).toEqual(parts);
    expect(new Set(sent.map((s) => s.group))).toEqual(new Set(['i-1']));
    // Every fact arrives once, in the page's order.
    expect(sent.flatMap((s) => s.facts.map((f) => (f as UpdateInViewFact).updateId))).toEqual(
      Array.from({ length: facts }, (_, i) => i + 1),
    );
  });
});
