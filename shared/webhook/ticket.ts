/**
 * Which ticket a Zendesk webhook names, if any. A Zendesk events webhook on a ticket event says it
 * twice: `subject` `zen:ticket:<id>` and `detail.id` (zendesk-api.md §7.3); a trigger's webhook says
 * what its body template says, and the README asks for `{"ticket_id": "{{ticket.id}}"}`. Anything
 * else names no ticket: the webhook still starts an import, it only cannot have its ticket read now.
 */
import { z } from 'zod';

const positiveId = z.union([
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .pipe(z.number().int().positive()),
]);

const EventWebhook = z.looseObject({
  type: z.string().startsWith('zen:event-type:ticket.'),
  subject: z.string().optional(),
  detail: z.looseObject({ id: positiveId }).optional(),
});

const TriggerWebhook = z.looseObject({ ticket_id: positiveId });

const SUBJECT = /^zen:ticket:(\d{1,15})$/;

/** The ticket id the body names; undefined when it names none (or names it in a way not read). */
export const webhookTicketId = (body: unknown): number | undefined => {
  const event = EventWebhook.safeParse(body);
  if (event.success) {
    const fromSubject = SUBJECT.exec(event.data.subject ?? '')?.[1];
    const id = event.data.detail?.id ?? (fromSubject === undefined ? undefined : Number(fromSubject));
    return id !== undefined && id > 0 ? id : undefined;
  }
  const trigger = TriggerWebhook.safeParse(body);
  return trigger.success ? trigger.data.ticket_id : undefined;
};
