import { describe, expect, it } from '@jest/globals';
import { compactAudit, compactTicketEvent } from '../../../shared/zendesk/compact.js';
import type { ChildEventRecord } from '../../../shared/domain/records.js';

/**
 * Chat sessions as Zendesk records them: a `ChatStartedEvent` whose `value` holds `visitor_id`,
 * `chat_id` and the session's `history` of messages (Zendesk's chat redaction reference shows the
 * audit form), and a `ChatEndedEvent` appended when the session ends. Only what the counting
 * rules need survives compaction; the messages never do.
 */
const HISTORY = [
  { chat_index: 0, type: 'ChatMemberJoin', actor_type: 'end-user', actor_name: 'Web User 64' },
  {
    chat_index: 1,
    type: 'ChatMessage',
    actor_type: 'end-user',
    actor_id: '411000001',
    actor_name: 'Web User 64',
    message: 'My ID number is 847564!',
    message_id: '64f1c2d3e4',
    timestamp: 1717405262000,
    original_message_type: 'text',
  },
  { chat_index: 2, type: 'ChatMessage', actor_type: 'agent', actor_name: 'Ada', message: 'Hello!' },
];

const audit = (events: unknown[], via: unknown = { channel: 'native_messaging', source: { rel: null } }) => ({
  id: 31000000900,
  ticket_id: 5120,
  created_at: '2024-06-03T09:01:02Z',
  author_id: 411000001,
  via,
  metadata: {},
  events,
});

const childrenOfAudit = (events: unknown[]): readonly ChildEventRecord[] =>
  compactAudit(audit(events)).children;

describe('chat session compaction', () => {
  const rows: [name: string, raw: Record<string, unknown>, expected: ChildEventRecord][] = [
    [
      'an Audits-API ChatStartedEvent: chat id, no via of its own, the end user wrote',
      {
        id: 1932802680168,
        type: 'ChatStartedEvent',
        value: {
          visitor_id: '10502823-16EkM3T6VNq7KMd',
          chat_id: '2109.10502823.Sjuj2YrBpXwei',
          history: HISTORY,
        },
      },
      { kind: 'ChatStarted', chatId: '2109.10502823.Sjuj2YrBpXwei', via: null, endUserWrote: true },
    ],
    [
      'a ChatStartedEvent with its own via object (it differs from the audit’s): its channel is kept',
      {
        id: 1,
        type: 'ChatStartedEvent',
        via: { channel: 'whatsapp', source: { from: {}, to: {}, rel: null } },
        value: { chat_id: 'c-2', history: HISTORY },
      },
      { kind: 'ChatStarted', chatId: 'c-2', via: 'whatsapp', endUserWrote: true },
    ],
    [
      'a session whose messages are all an agent’s (an outbound message nobody answered)',
      {
        id: 2,
        type: 'ChatStartedEvent',
        value: { chat_id: 'c-3', history: [HISTORY[2]] },
      },
      { kind: 'ChatStarted', chatId: 'c-3', via: null, endUserWrote: false },
    ],
    [
      'a customer spelled end_user (Zendesk’s chat and messaging events) wrote in the session',
      {
        id: 21,
        type: 'ChatStartedEvent',
        value: { chat_id: 'c-21', history: [{ type: 'ChatMessage', actor_type: 'end_user', actor_id: '1' }] },
      },
      { kind: 'ChatStarted', chatId: 'c-21', via: null, endUserWrote: true },
    ],
    [
      'messages without an actor type: who wrote is unknown (the session counts), never “not the customer”',
      {
        id: 22,
        type: 'ChatStartedEvent',
        value: { chat_id: 'c-22', history: [{ type: 'ChatMessage', actor_id: '1', message: 'hi' }] },
      },
      { kind: 'ChatStarted', chatId: 'c-22', via: null, endUserWrote: null },
    ],
    [
      'a Zendesk Chat visitor is the customer',
      {
        id: 23,
        type: 'ChatStartedEvent',
        value: { chat_id: 'c-23', history: [{ type: 'ChatMessage', actor_type: 'visitor' }] },
      },
      { kind: 'ChatStarted', chatId: 'c-23', via: null, endUserWrote: true },
    ],
    [
      'messages only of the business side and a bot: the customer did not write',
      {
        id: 24,
        type: 'ChatStartedEvent',
        value: {
          chat_id: 'c-24',
          history: [
            { type: 'ChatMessage', actor_type: 'business' },
            { type: 'ChatMessage', actor_type: 'bot' },
          ],
        },
      },
      { kind: 'ChatStarted', chatId: 'c-24', via: null, endUserWrote: false },
    ],
    [
      'an agent’s message and one of an actor type nobody documents (user is anyone): unknown, never “not the customer”',
      {
        id: 25,
        type: 'ChatStartedEvent',
        value: {
          chat_id: 'c-25',
          history: [
            { type: 'ChatMessage', actor_type: 'agent' },
            { type: 'ChatMessage', actor_type: 'user' },
          ],
        },
      },
      { kind: 'ChatStarted', chatId: 'c-25', via: null, endUserWrote: null },
    ],
    [
      'a customer who only sends a file (a photo, a voice note) wrote in the session; joining it is not writing',
      {
        id: 26,
        type: 'ChatStartedEvent',
        value: {
          chat_id: 'c-26',
          history: [
            { type: 'ChatMemberJoin', actor_type: 'end-user' },
            { type: 'ChatFileAttachment', actor_type: 'end-user', filename: 'receipt.jpg' },
            { type: 'ChatMessage', actor_type: 'agent', message: 'Thanks, refunded.' },
          ],
        },
      },
      { kind: 'ChatStarted', chatId: 'c-26', via: null, endUserWrote: true },
    ],
    [
      'only an agent sent a file (an outbound picture nobody answered): the customer did not write',
      {
        id: 28,
        type: 'ChatStartedEvent',
        value: { chat_id: 'c-28', history: [{ type: 'ChatFileAttachment', actor_type: 'agent' }] },
      },
      { kind: 'ChatStarted', chatId: 'c-28', via: null, endUserWrote: false },
    ],
    [
      'a customer who only joined while the agent wrote: the customer did not write',
      {
        id: 27,
        type: 'ChatStartedEvent',
        value: {
          chat_id: 'c-27',
          history: [
            { type: 'ChatMemberJoin', actor_type: 'end-user' },
            { type: 'ChatMessage', actor_type: 'agent', message: 'Hello, how can I help?' },
          ],
        },
      },
      { kind: 'ChatStarted', chatId: 'c-27', via: null, endUserWrote: false },
    ],
    [
      'a session without a history: who wrote is unknown',
      { id: 3, type: 'ChatStartedEvent', value: { chat_id: 7 } },
      { kind: 'ChatStarted', chatId: '7', via: null, endUserWrote: null },
    ],
    [
      'a session whose value is not an object, or whose history is not a list: read as unknown, never an error',
      { id: 4, type: 'ChatStartedEvent', value: 'started', history: 'n/a' },
      { kind: 'ChatStarted', chatId: null, via: null, endUserWrote: null },
    ],
    [
      'a ChatEndedEvent keeps its chat id',
      { id: 5, type: 'ChatEndedEvent', value: { chat_id: 'c-2', visitor_id: 'v', is_served: true } },
      { kind: 'ChatEnded', chatId: 'c-2' },
    ],
    [
      'a ChatEndedEvent without a value',
      { id: 6, type: 'ChatEndedEvent' },
      { kind: 'ChatEnded', chatId: null },
    ],
  ];

  it.each(rows)('%s', (_name, raw, expected) => {
    expect(childrenOfAudit([raw])).toEqual([expected]);
  });

  it('reads the export’s flattened form: event_type, display-name via, session keys at the top', () => {
    const event = compactTicketEvent({
      id: 31000000950,
      ticket_id: 5120,
      timestamp: 1717405262,
      created_at: '2024-06-03T09:01:02Z',
      updater_id: 411000001,
      via: 'WhatsApp',
      via_reference_id: null,
      event_type: 'Audit',
      child_events: [
        {
          id: 31000000951,
          via: 'WhatsApp',
          via_reference_id: null,
          event_type: 'ChatStartedEvent',
          chat_id: 'c-9',
          history: HISTORY,
        },
        {
          id: 31000000952,
          via: 'WhatsApp',
          via_reference_id: null,
          event_type: 'ChatEndedEvent',
          value: { chat_id: 'c-9' },
        },
      ],
    });
    expect(event.children).toEqual([
      { kind: 'ChatStarted', chatId: 'c-9', via: 'WhatsApp', endUserWrote: true },
      { kind: 'ChatEnded', chatId: 'c-9' },
    ]);
  });
});
