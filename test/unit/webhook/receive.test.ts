import { describe, expect, it } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { webhookDeps } from '../../../shared/webhook/build-deps.js';
import { LocalWebhookSecretStore } from '../../../shared/store/webhook-secret-store.js';
import type { FetchJob } from '../../../shared/messages/fetch-job.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { coalescingSlot } from '../../../shared/webhook/coalesce.js';
import type { WebhookRefusal } from '../../../shared/webhook/refusals.js';
import { receiveWebhook, webhookResponseHeaders, type WebhookDeps } from '../../../shared/webhook/receive.js';
import type { WebhookHttpRequest } from '../../../shared/webhook/request.js';
import { signWebhook } from '../../../shared/webhook/signature.js';
import { anIntegration } from '../../support/integrations.js';
import { fetchJob } from '../../support/messages.js';

const SECRET = 'whsec-unit-test-0123456789';
const NOW = new Date('2026-11-24T09:07:10.000Z');

const world = (
  options: {
    status?: Integration['status'];
    secret?: string;
    /** The secret as the store holds it now, past its cache (default: the kept one). */
    storedSecret?: string;
    /** The store cannot be read past its cache now. */
    freshReadFails?: boolean;
    sendFails?: boolean;
    claimFails?: boolean;
    webhookTicketReadsPerMinute?: number;
    /** A redrive on AWS is moving the integration's parked work back. */
    redriving?: boolean;
  } = {},
) => {
  const integration = (status: Integration['status']): Integration =>
    anIntegration({
      id: 'int1',
      status,
      ...(options.webhookTicketReadsPerMinute !== undefined
        ? { webhookTicketReadsPerMinute: options.webhookTicketReadsPerMinute }
        : {}),
      ...(options.redriving ? { redriving: { since: '2026-12-02T08:00:00.000Z' } } : {}),
    });
  const jobs: { job: FetchJob; delaySeconds: number }[] = [];
  const lines: string[] = [];
  const claimed = new Map<string, number>();
  const freshReads: string[] = [];
  // Tickets read now, per integration: the minute and its tickets (as the nudges item keeps them).
  const reads = new Map<string, { minute: number; tickets: Set<number> }>();
  let now = NOW;
  const deps: WebhookDeps = {
    integrations: {
      get: async (id) => (id === 'int1' ? integration(options.status ?? 'active') : undefined),
    },
    signingSecrets: {
      get: async (id) => (id === 'int1' ? (options.secret ?? SECRET) : undefined),
      getFresh: async (id) => {
        freshReads.push(id);
        if (options.freshReadFails) throw new Error('Secrets Manager unavailable');
        return id === 'int1' ? (options.storedSecret ?? options.secret ?? SECRET) : undefined;
      },
    },
    nudges: {
      claim: async (id, slot) => {
        if ((claimed.get(id) ?? -1) >= slot) return false;
        claimed.set(id, slot);
        return true;
      },
      release: async (id, slot) => {
        if (claimed.get(id) === slot) claimed.delete(id);
      },
      claimTicketRead: async (id, ticketId, minute, perMinute) => {
        if (options.claimFails) throw new Error('table unavailable');
        const current = reads.get(id);
        if (current === undefined || current.minute < minute) {
          reads.set(id, { minute, tickets: new Set([ticketId]) });
          return true;
        }
        if (current.minute > minute || current.tickets.has(ticketId) || current.tickets.size >= perMinute)
          return false;
        current.tickets.add(ticketId);
        return true;
      },
      releaseTicketRead: async (id, ticketId, minute) => {
        if (reads.get(id)?.minute === minute) reads.get(id)?.tickets.delete(ticketId);
      },
    },
    sendFetchJob: async (job, delaySeconds) => {
      if (options.sendFails) throw new Error('queue unavailable');
      jobs.push({ job, delaySeconds });
    },
    now: () => now,
    windowSeconds: 30,
    exportLagSeconds: 60,
    logger: {
      info: (m, e) => lines.push(JSON.stringify({ m, e })),
      warn: (m, e) => lines.push(JSON.stringify({ m, e })),
    },
  };
  return { deps, jobs, lines, claimed, reads, freshReads, setNow: (d: Date) => (now = d) };
};

const signed = (body: string, at: Date = NOW, secret = SECRET): WebhookHttpRequest => {
  const timestamp = at.toISOString();
  return {
    method: 'POST',
    path: '/integrations/int1/webhook',
    headers: {
      'x-zendesk-webhook-signature': signWebhook(secret, timestamp, body),
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
    body,
    isBase64Encoded: false,
  };
};

const BODY = '{"type":"zen:event-type:ticket.comment_added","subject":"zen:ticket:5120"}';

describe('coalescingSlot: the fetch waits for the window to end, then for the export to show it', () => {
  // Zendesk's incremental exports hold back the most recent minute: a fetch at the window's end
  // would not see what the window's webhooks announced.
  const cases: [at: string, lag: number, slot: number, delaySeconds: number][] = [
    ['2026-11-24T09:07:00.000Z', 60, Date.parse('2026-11-24T09:07:00.000Z') / 30_000, 90],
    ['2026-11-24T09:07:10.000Z', 60, Date.parse('2026-11-24T09:07:00.000Z') / 30_000, 80],
    ['2026-11-24T09:07:29.999Z', 60, Date.parse('2026-11-24T09:07:00.000Z') / 30_000, 61],
    ['2026-11-24T09:07:30.000Z', 60, Date.parse('2026-11-24T09:07:30.000Z') / 30_000, 90],
    ['2026-11-24T09:07:10.000Z', 0, Date.parse('2026-11-24T09:07:00.000Z') / 30_000, 20],
  ];
  it.each(cases)('at %s with a lag of %d s: window %d, fetch in %d s', (at, lag, slot, delaySeconds) => {
    expect(coalescingSlot(new Date(at), 30, lag)).toEqual({ slot, delaySeconds });
  });
  it('refuses a window that, with the lag, SQS cannot delay to', () => {
    expect(() => coalescingSlot(NOW, 841, 60)).toThrow(
      "windowSeconds: a whole number of seconds from 1 to 840 (with the export's lag of 60 s, the SQS delay limit of 900 s)",
    );
    expect(coalescingSlot(NOW, 840, 60).delaySeconds).toBeLessThanOrEqual(900);
  });
  it('refuses a negative lag', () => {
    expect(() => coalescingSlot(NOW, 30, -1)).toThrow(
      'exportLagSeconds: a whole number of seconds, 0 or more',
    );
  });
});

describe('receiveWebhook', () => {
  it("turns a validly signed request into its ticket's read now and one fetch job of a full run, delayed to the window's end and the export's lag", async () => {
    const w = world();
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 202,
      body: { message: 'Accepted; fetch scheduled' },
    });
    const slot = coalescingSlot(NOW, 30, 60).slot;
    expect(w.jobs).toEqual([
      {
        job: {
          version: 1,
          integrationId: 'int1',
          stream: 'ticket_audits',
          ticketId: 5120,
          runId: `webhook-ticket-${Math.floor(NOW.getTime() / 60_000)}`,
        },
        // The update's other webhooks (Zendesk sends one per event) arrive meanwhile.
        delaySeconds: 2,
      },
      {
        job: fetchJob('users', { integrationId: 'int1', runId: `webhook-${slot}` }),
        // 20 s to the window's end, then Zendesk's minute.
        delaySeconds: 80,
      },
    ]);
  });

  const reads = (w: ReturnType<typeof world>) =>
    w.jobs.flatMap(({ job }) => (job.stream === 'ticket_audits' ? [job.ticketId] : []));
  const at = (iso: string) => new Date(Date.parse(iso));

  it('reads a ticket once a minute however many webhooks name it; the next minute reads it again', async () => {
    const w = world();
    for (const time of ['2026-11-24T09:07:10Z', '2026-11-24T09:07:11Z', '2026-11-24T09:07:59Z']) {
      w.setNow(at(time));
      await receiveWebhook(w.deps, signed(BODY, at(time)));
    }
    expect(reads(w)).toEqual([5120]);
    w.setNow(at('2026-11-24T09:08:00Z'));
    await receiveWebhook(w.deps, signed(BODY, at('2026-11-24T09:08:00Z')));
    expect(reads(w)).toEqual([5120, 5120]);
  });

  it('reads at most 20 tickets a minute per integration: the 21st waits for the import', async () => {
    const w = world();
    for (let id = 1; id <= 21; id += 1)
      await receiveWebhook(
        w.deps,
        signed(`{"type":"zen:event-type:ticket.created","subject":"zen:ticket:${id}"}`),
      );
    expect(reads(w)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(w.jobs.filter(({ job }) => job.stream === 'users')).toHaveLength(1);
  });

  it.each([
    [2, [1, 2]],
    [0, []],
  ])(
    'reads at most the integration’s own number of tickets a minute (%d): the rest wait for the import',
    async (perMinute, read) => {
      const w = world({ webhookTicketReadsPerMinute: perMinute });
      for (let id = 1; id <= 3; id += 1) await receiveWebhook(w.deps, signed(`{"ticket_id":"${id}"}`));
      expect(reads(w)).toEqual(read);
      expect(w.jobs.filter(({ job }) => job.stream === 'users')).toHaveLength(1);
    },
  );

  it('gives a ticket read back and answers 503 with a Retry-After when its job cannot be sent, so Zendesk retries', async () => {
    const w = world({ sendFails: true });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 503,
      body: { message: 'Try again later' },
      retryAfterSeconds: 5,
    });
    expect([...(w.reads.get('int1')?.tickets ?? [])]).toEqual([]);
    expect(w.claimed.size).toBe(0);
  });

  it('still starts the import when the ticket read cannot be claimed (the table unavailable)', async () => {
    const w = world({ claimFails: true });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 202,
      body: { message: 'Accepted; fetch scheduled' },
    });
    expect(w.jobs.map(({ job }) => job.stream)).toEqual(['users']);
  });

  it('reads no ticket for a body that names none, and still starts the import', async () => {
    const w = world();
    await receiveWebhook(w.deps, signed('{"type":"zen:event-type:user.created","subject":"zen:user:7"}'));
    expect(reads(w)).toEqual([]);
    expect(w.jobs.map(({ job }) => job.stream)).toEqual(['users']);
  });

  it('coalesces a burst of 1000 valid requests in one window into one fetch job', async () => {
    const w = world();
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => receiveWebhook(w.deps, signed(`{"n":${i}}`))),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1000);
    expect(w.jobs).toHaveLength(1);
  });

  it('a burst straddling a window boundary costs two jobs, never more', async () => {
    const w = world();
    for (let i = 0; i < 1000; i += 1) {
      const at = new Date(Date.parse('2026-11-24T09:07:25.000Z') + i * 10); // 09:07:25 → 09:07:34.99
      w.setNow(at);
      await receiveWebhook(w.deps, signed(`{"n":${i}}`, at));
    }
    expect(w.jobs.map((j) => j.job.runId)).toEqual([
      `webhook-${Date.parse('2026-11-24T09:07:00.000Z') / 30_000}`,
      `webhook-${Date.parse('2026-11-24T09:07:30.000Z') / 30_000}`,
    ]);
  });

  const unsigned: WebhookHttpRequest = { ...signed(BODY), headers: {} };
  const badCases: [
    name: string,
    request: WebhookHttpRequest,
    status: number,
    message: string,
    refusal: WebhookRefusal,
  ][] = [
    ['unsigned', unsigned, 401, 'Invalid or missing signature', 'missing_signature'],
    [
      'signed with another secret',
      signed(BODY, NOW, 'not-the-secret-at-all'),
      401,
      'Invalid or missing signature',
      'bad_signature',
    ],
    [
      'signed 6 minutes ago (a replay)',
      signed(BODY, new Date(NOW.getTime() - 360_000)),
      401,
      'Invalid or missing signature',
      'stale',
    ],
    [
      'a body changed after signing',
      { ...signed(BODY), body: '{"x":1}' },
      401,
      'Invalid or missing signature',
      'bad_signature',
    ],
    [
      'oversized',
      signed(`{"x":"${'a'.repeat(300_000)}"}`),
      413,
      'Body larger than 262144 bytes',
      'body_too_large',
    ],
    [
      'an unknown integration',
      { ...signed(BODY), path: '/integrations/nope/webhook' },
      404,
      'Not found',
      'unknown_integration',
    ],
  ];
  it.each(badCases)(
    'refuses a request %s with %d, names the reason for the caller to count, logs and enqueues nothing',
    async (_n, request, status, message, refusal) => {
      const w = world();
      expect(await receiveWebhook(w.deps, request)).toEqual({ status, body: { message }, refusal });
      expect(w.jobs).toEqual([]);
      expect(w.claimed.size).toBe(0);
      expect(w.lines).toEqual([]);
    },
  );

  it('verifies a request signed with a secret reset and stored since with the secret as stored now, not the kept one', async () => {
    const w = world({ secret: 'whsec-before-the-reset-0001', storedSecret: SECRET });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 202,
      body: { message: 'Accepted; fetch scheduled' },
    });
    expect(w.freshReads).toEqual(['int1']);
    expect(w.jobs.map((j) => j.job.stream)).toEqual(['ticket_audits', 'users']);
  });

  it('asks the store again only when the signature itself fails: a stale or unsigned request is refused without it', async () => {
    const w = world();
    await receiveWebhook(w.deps, signed(BODY, new Date(NOW.getTime() - 360_000)));
    await receiveWebhook(w.deps, unsigned);
    expect(w.freshReads).toEqual([]);
    expect(await receiveWebhook(w.deps, signed(BODY, NOW, 'not-the-secret-at-all'))).toMatchObject({
      status: 401,
      refusal: 'bad_signature',
    });
    expect(w.freshReads).toEqual(['int1']);
  });

  it('starts an import on a signed body of another format (XML, an array), reading no ticket', async () => {
    for (const body of ['<ticket_id>5120</ticket_id>', '[{"ticket_id":5120}]']) {
      const w = world();
      expect(await receiveWebhook(w.deps, signed(body))).toEqual({
        status: 202,
        body: { message: 'Accepted; fetch scheduled' },
      });
      expect(w.jobs.map((j) => j.job.stream)).toEqual(['users']);
    }
  });

  it('reads the ticket a signed form-encoded trigger body names', async () => {
    const w = world();
    const request = signed('ticket_id=5120');
    const response = await receiveWebhook(w.deps, {
      ...request,
      headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response).toEqual({ status: 202, body: { message: 'Accepted; fetch scheduled' } });
    expect(w.jobs.map((j) => [j.job.stream, 'ticketId' in j.job ? j.job.ticketId : null])).toEqual([
      ['ticket_audits', 5120],
      ['users', null],
    ]);
  });

  it('refuses an unsigned body of another format like any unsigned request (401), never reading it', async () => {
    const w = world();
    expect(await receiveWebhook(w.deps, { ...signed('<x/>'), headers: {} })).toEqual({
      status: 401,
      body: { message: 'Invalid or missing signature' },
      refusal: 'missing_signature',
    });
    expect(w.jobs).toEqual([]);
  });

  it('refuses a bad signature as such when the stored secret cannot be read again now (no error of ours)', async () => {
    const w = world({ freshReadFails: true });
    expect(await receiveWebhook(w.deps, signed(BODY, NOW, 'not-the-secret-at-all'))).toEqual({
      status: 401,
      body: { message: 'Invalid or missing signature' },
      refusal: 'bad_signature',
    });
    expect(w.freshReads).toEqual(['int1']);
  });

  it('answers an integration without a signing secret exactly like an unknown one', async () => {
    const w = world({ secret: '' });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 404,
      body: { message: 'Not found' },
      refusal: 'no_signing_secret',
    });
    expect(w.jobs).toEqual([]);
  });

  it('answers a deleted integration like an unknown one', async () => {
    const w = world({ status: 'deleted' });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 404,
      body: { message: 'Not found' },
      refusal: 'unknown_integration',
    });
  });

  it('accepts but does not fetch for a paused integration (resume catches up)', async () => {
    const w = world({ status: 'paused' });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 202,
      body: { message: 'Accepted; the integration is not active' },
    });
    expect(w.jobs).toEqual([]);
  });

  it('accepts but starts nothing while a redrive moves the integration’s parked work back (a new run could overtake it)', async () => {
    const w = world({ redriving: true });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 202,
      body: { message: 'Accepted; the integration is not active' },
    });
    expect(w.jobs).toEqual([]);
  });

  it('gives the window back and answers 503 with a Retry-After when the job cannot be sent, so Zendesk retries', async () => {
    const w = world({ sendFails: true });
    expect(await receiveWebhook(w.deps, signed(BODY))).toEqual({
      status: 503,
      body: { message: 'Try again later' },
      retryAfterSeconds: 5,
    });
    expect(w.claimed.size).toBe(0);
  });
});

describe('webhookResponseHeaders: what the Lambda and serve send back', () => {
  it('says when to try again on a passing failure, and nothing of it otherwise', () => {
    expect(
      webhookResponseHeaders({ status: 503, body: { message: 'Try again later' }, retryAfterSeconds: 5 }),
    ).toEqual({ 'content-type': 'application/json', 'retry-after': '5' });
    expect(webhookResponseHeaders({ status: 202, body: { message: 'Accepted; fetch scheduled' } })).toEqual({
      'content-type': 'application/json',
    });
  });
});

describe('webhookDeps: a coalescing window SQS cannot delay to is refused when the webhook is built', () => {
  it('names the field and the limit before any request arrives', () => {
    const build = () =>
      webhookDeps({
        dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
        sqs: new SQSClient({ region: 'us-east-1' }),
        integrationsTable: 'integrations',
        fetchJobsUrl: 'http://127.0.0.1:1/000000000000/fetch-jobs',
        signingSecrets: new LocalWebhookSecretStore(),
        windowSeconds: 900,
        logger: { info: () => undefined, warn: () => undefined },
      });
    expect(build).toThrow(
      "windowSeconds: a whole number of seconds from 1 to 840 (with the export's lag of 60 s, the SQS delay limit of 900 s)",
    );
  });
});
