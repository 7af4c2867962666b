import { describe, expect, it } from '@jest/globals';
import type { TicketEventRecord, TicketRecord } from '../../../shared/domain/records.js';
import type { ChangesMessage } from '../../../shared/messages/changes.js';
import type { AuditsFetchJob, FetchJob } from '../../../shared/messages/fetch-job.js';
import { fetchStream, type FetchDeps } from '../../../shared/pipeline/fetch.js';
import type { RateLimited } from '../../../shared/zendesk/api.js';
import { ZendeskPayloadError, ZendeskRequestError } from '../../../shared/zendesk/errors.js';
import { fetchDepsWith } from '../../support/fetch-deps.js';
import { ACME } from '../../support/integrations.js';
import { CUSTOMER, TICKET, comment, created, ticketRecord, update } from '../../support/records.js';

const job: AuditsFetchJob = {
  version: 1,
  integrationId: ACME.id,
  stream: 'ticket_audits',
  ticketId: TICKET,
  runId: 'webhook-ticket-1',
};

const AUDITS: TicketEventRecord[] = [
  update(9001, '2026-01-02T23:59:30Z', [created('status', 'new'), comment(CUSTOMER, 'email')]),
  update(9002, '2026-01-02T23:59:50Z', [comment(CUSTOMER, 'email')]),
];

const RECORD: TicketRecord = ticketRecord({
  createdAt: '2026-01-02T23:59:30Z',
  updatedAt: '2026-01-02T23:59:50Z',
  status: 'new',
  subject: 'Order',
  requesterId: CUSTOMER,
  submitterId: CUSTOMER,
  brandId: 360000301,
});

type Answer<T> = T | RateLimited | Error;

const world = (
  answers: { audits?: Answer<TicketEventRecord[]>; tickets?: Answer<TicketRecord[]> } = {},
  importUntil?: string,
) => {
  const asked: string[] = [];
  const changes: ChangesMessage[] = [];
  const jobs: { job: FetchJob; delay: number | undefined }[] = [];
  const answer = async <T>(a: Answer<T>): Promise<T | RateLimited> => {
    if (a instanceof Error) throw a;
    return a;
  };
  const deps = fetchDepsWith({
    integrations: {
      get: async () => ({ ...ACME, ...(importUntil ? { importUntil } : {}) }),
      modify: async () => undefined,
      recordCompletedRun: async () => undefined,
    },
    zendesk: (async () => ({
      ticketAudits: async (id: number, stopAfter?: number) => {
        asked.push(`audits ${id}, stop after ${stopAfter}`);
        return answer(answers.audits ?? AUDITS);
      },
      ticketsByIds: async (ids: readonly number[]) => {
        asked.push(`tickets ${ids.join(',')}`);
        return answer(answers.tickets ?? [RECORD]);
      },
    })) as unknown as FetchDeps['zendesk'],
    bus: {
      sendChanges: async (message) => void changes.push(message),
      sendFetchJob: async (j: FetchJob, delay?: number) => void jobs.push({ job: j, delay }),
    },
  });
  return { deps, asked, changes, jobs };
};

describe("fetchStream: a webhook's ticket read now (README, Near-real-time updates)", () => {
  it("sends the ticket's audits and its record as one page, and moves no stream position", async () => {
    const w = world();
    expect(await fetchStream(w.deps, job, () => 60_000)).toBe('end_of_stream');
    // The audits first: a record read after them reflects every update they hold.
    // No page past the one that shows the ticket has more audits than a page of work takes.
    expect(w.asked).toEqual([`audits ${TICKET}, stop after 200`, `tickets ${TICKET}`]);
    expect(w.changes).toEqual([
      {
        version: 1,
        pageKey: expect.stringMatching(/^ticket_audits:[0-9a-f]{40}$/) as unknown as string,
        integrationId: ACME.id,
        stream: 'ticket_audits',
        ticketId: TICKET,
        records: AUDITS,
        record: RECORD,
      },
    ]);
    expect(w.jobs).toEqual([]);
  });

  it('keys the page by what it holds: a later read with one more audit is another page', async () => {
    const a = world();
    const b = world({ audits: [...AUDITS, update(9003, '2026-01-02T23:59:55Z', [])] });
    await fetchStream(a.deps, job, () => 60_000);
    await fetchStream(b.deps, job, () => 60_000);
    expect(a.changes[0]?.pageKey).not.toBe(b.changes[0]?.pageKey);
  });

  it('sends the audits in the order the ticket state compares them in (time, then audit id)', async () => {
    const [first, second] = AUDITS as [TicketEventRecord, TicketEventRecord];
    const sameSecond = { ...second, timestamp: first.timestamp, createdAt: first.createdAt, id: 9000 };
    const w = world({ audits: [second, first, sameSecond] });
    await fetchStream(w.deps, job, () => 60_000);
    expect(w.changes.map((c) => (c.stream === 'ticket_audits' ? c.records.map((r) => r.id) : []))).toEqual([
      [9000, 9001, 9002],
    ]);
  });

  it('sends a ticket Show Many Tickets leaves out with no record', async () => {
    const w = world({ tickets: [] });
    await fetchStream(w.deps, job, () => 60_000);
    expect(w.changes.map((c) => (c.stream === 'ticket_audits' ? c.record : 'other'))).toEqual([null]);
  });

  const dropped: [rule: string, answers: Parameters<typeof world>[0], importUntil: string | undefined][] = [
    [
      'a deleted ticket (its audits answer 404) is left to the export',
      { audits: new ZendeskRequestError('/api/v2/tickets/{ticket_id}/audits', 404, 'RecordNotFound') },
      undefined,
    ],
    [
      'a ticket with more audits than one page of work takes is left to the export',
      { audits: Array.from({ length: 201 }, (_, i) => update(9001 + i, '2026-01-02T23:00:00Z', [])) },
      undefined,
    ],
    ['an import of a past period reads no ticket now', {}, '2026-01-01T00:00:00.000Z'],
    [
      'a refusal other than 404 is left to the export, never a failing integration',
      { audits: new ZendeskRequestError('/api/v2/tickets/{ticket_id}/audits', 403, 'Forbidden') },
      undefined,
    ],
    [
      'an answer that does not fit is left to the export, never a parked page',
      { tickets: new ZendeskPayloadError('/api/v2/tickets/show_many', null, 'tickets', 'not a list') },
      undefined,
    ],
    [
      'an audit the next stages would refuse is left to the export',
      { audits: [{ ...AUDITS[0]!, createdAt: 'yesterday' }] },
      undefined,
    ],
    [
      'an audit of another ticket (the state would refuse it) is left to the export',
      { audits: [{ ...AUDITS[0]!, ticketId: TICKET + 1 }] },
      undefined,
    ],
    [
      'a rate limit on its audits drops the read: a retry would compete with the export for the budget',
      { audits: { kind: 'rate_limited', retryAfterSeconds: 7 } as RateLimited },
      undefined,
    ],
    [
      'a rate limit on its record drops the read too',
      { tickets: { kind: 'rate_limited', retryAfterSeconds: 7 } as RateLimited },
      undefined,
    ],
  ];
  it.each(dropped)('%s', async (_rule, answers, importUntil) => {
    const w = world(answers, importUntil);
    expect(await fetchStream(w.deps, job, () => 60_000)).toBe('stopped');
    expect(w.changes).toEqual([]);
    expect(w.jobs).toEqual([]);
  });
});
