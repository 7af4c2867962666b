import { describe, expect, it } from '@jest/globals';
import { webhookTicketId } from '../../../shared/webhook/ticket.js';

describe('webhookTicketId: the ticket a webhook names', () => {
  const cases: [rule: string, body: unknown, ticketId: number | undefined][] = [
    [
      'a Zendesk events webhook names it in detail.id (a string)',
      { type: 'zen:event-type:ticket.comment_added', subject: 'zen:ticket:5120', detail: { id: '5120' } },
      5120,
    ],
    [
      'and in its subject, read when detail is absent',
      { type: 'zen:event-type:ticket.created', subject: 'zen:ticket:77' },
      77,
    ],
    ["a trigger's body names it as ticket_id ({{ticket.id}} renders a string)", { ticket_id: '5120' }, 5120],
    ['a trigger body may give it as a number', { ticket_id: 42 }, 42],
    [
      'an event on something else than a ticket names none',
      { type: 'zen:event-type:user.created', subject: 'zen:user:5120', detail: { id: '5120' } },
      undefined,
    ],
    ['a ticket id that is not a positive whole number names none', { ticket_id: '51x' }, undefined],
    ['ticket id 0 names none', { ticket_id: 0 }, undefined],
    ['an unrendered placeholder names none', { ticket_id: '{{ticket.id}}' }, undefined],
    ['a body without any names none', { n: 1 }, undefined],
  ];
  it.each(cases)('%s', (_rule, body, ticketId) => {
    expect(webhookTicketId(body)).toBe(ticketId);
  });
});
