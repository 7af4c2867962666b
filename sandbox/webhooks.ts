/**
 * The sandbox's webhook sender: when its data changes (a ticket created, a customer comment), it
 * POSTs a Zendesk event webhook (zendesk-api.md §7.3 envelope) to the configured endpoint, signed
 * as Zendesk signs (§7.1: base64 HMAC-SHA256 over the timestamp header + raw body). The signature
 * timestamp is wall-clock time, as Zendesk's is, whatever the sandbox clock says.
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface WebhookTarget {
  readonly url: string;
  readonly signingSecret: string;
}

export type TicketEventType = 'ticket.created' | 'ticket.comment_added';

export class WebhookSender {
  private target: WebhookTarget | null = null;
  private readonly pending = new Set<Promise<void>>();
  private delivered = 0;
  private failed = 0;

  constructor(private readonly accountId: number) {}

  configure(target: WebhookTarget | null): void {
    this.target = target;
  }

  send(type: TicketEventType, ticketId: number, at: Date): void {
    const target = this.target;
    if (!target) return;
    const body = JSON.stringify({
      type: `zen:event-type:${type}`,
      account_id: this.accountId,
      id: randomUUID(),
      time: at.toISOString(),
      zendesk_event_version: '2022-11-06',
      subject: `zen:ticket:${ticketId}`,
      detail: { id: String(ticketId) },
      event: {},
    });
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const signature = createHmac('sha256', target.signingSecret)
      .update(timestamp + body)
      .digest('base64');
    const delivery = fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zendesk-account-id': String(this.accountId),
        'x-zendesk-webhook-id': '01SANDBOXWEBHOOK000000000',
        'x-zendesk-webhook-invocation-id': String(this.delivered + this.failed + 1),
        'x-zendesk-webhook-signature': signature,
        'x-zendesk-webhook-signature-timestamp': timestamp,
      },
      body,
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) this.delivered += 1;
        else this.failed += 1;
      })
      .catch(() => {
        this.failed += 1;
      });
    const tracked = delivery.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Resolves when every webhook sent so far has been answered (or failed). */
  async settled(): Promise<{ delivered: number; failed: number }> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    return { delivered: this.delivered, failed: this.failed };
  }
}
