import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { verifyWebhookSignature } from '../../../shared/webhook/signature.js';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

describe('the sandbox sends signed webhooks when its data changes', () => {
  const received: Received[] = [];
  let receiver: Server;
  let sandbox: Sandbox;
  const SECRET = 'sandbox-webhook-secret-42';

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const { port } = receiver.address() as AddressInfo;
    sandbox = await startSandbox({
      seed: 7,
      size: 'tiny',
      now: '2026-11-24T09:00:00Z',
      rateLimit: false,
      webhook: { url: `http://127.0.0.1:${port}/integrations/int1/webhook`, signingSecret: SECRET },
    });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await new Promise((r) => receiver?.close(r));
  });

  it('posts one event per change, signed with the secret as Zendesk signs', async () => {
    const ticketId = sandbox.createTicket({ channel: 'email' });
    sandbox.addCustomerComment(ticketId, 'chat');
    expect(await sandbox.webhooksSettled()).toEqual({ delivered: 2, failed: 0 });
    expect(received.map((r) => JSON.parse(r.body) as { type: string; subject: string })).toEqual([
      expect.objectContaining({ type: 'zen:event-type:ticket.created', subject: `zen:ticket:${ticketId}` }),
      expect.objectContaining({
        type: 'zen:event-type:ticket.comment_added',
        subject: `zen:ticket:${ticketId}`,
      }),
    ]);
    for (const r of received) {
      const verdict = verifyWebhookSignature(
        SECRET,
        {
          signature: r.headers['x-zendesk-webhook-signature'] as string,
          timestamp: r.headers['x-zendesk-webhook-signature-timestamp'] as string,
          rawBody: r.body,
        },
        new Date(),
      );
      expect(verdict).toEqual({ ok: true });
    }
  });

  it('stops sending when the target is removed', async () => {
    sandbox.configureWebhook(null);
    sandbox.createTicket({ channel: 'web' });
    expect(await sandbox.webhooksSettled()).toEqual({ delivered: 2, failed: 0 });
    expect(received).toHaveLength(2);
  });
});
