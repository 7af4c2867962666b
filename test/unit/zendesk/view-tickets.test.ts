/**
 * Reconcile's reading of Zendesk's own view lists (issue #18): List Tickets From a View paged to its
 * end, and the 429s Zendesk answers views with waited out.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { MAX_RATE_LIMIT_WAITS, patiently } from '../../../shared/pipeline/reconcile.js';
import { testZendeskClient } from '../../support/fetch-deps.js';
import { startFakeZendesk, type FakeZendesk } from './fake-zendesk.js';

let zendesk: FakeZendesk | undefined;
afterEach(async () => {
  await zendesk?.stop();
  zendesk = undefined;
});

describe('viewTickets: every ticket Zendesk lists in a view', () => {
  it('follows cursor pagination (meta.has_more, links.next) to the last page', async () => {
    zendesk = await startFakeZendesk((r) =>
      r.query.get('page[after]') === 'c1'
        ? { json: { tickets: [{ id: 3, updated_at: null }], meta: { has_more: false } } }
        : {
            json: {
              tickets: [
                { id: 1, updated_at: '2026-01-02T10:00:00Z' },
                { id: 2, updated_at: '2026-01-02T11:00:00Z' },
              ],
              meta: { has_more: true, after_cursor: 'c1' },
              links: {
                next: `${zendesk!.baseUrl}/api/v2/views/360100001/tickets?page%5Bsize%5D=100&page%5Bafter%5D=c1`,
              },
            },
          },
    );
    const tickets = await testZendeskClient(zendesk.baseUrl).viewTickets(360100001);
    expect(tickets).toEqual([
      { id: 1, updatedAt: '2026-01-02T10:00:00Z' },
      { id: 2, updatedAt: '2026-01-02T11:00:00Z' },
      { id: 3, updatedAt: null },
    ]);
    expect(zendesk.requests.map((r) => [r.path, r.query.get('page[after]')])).toEqual([
      ['/api/v2/views/360100001/tickets', null],
      ['/api/v2/views/360100001/tickets', 'c1'],
    ]);
  });

  it('hands a 429 back to the caller with its Retry-After, instead of a partial list', async () => {
    zendesk = await startFakeZendesk(() => ({
      status: 429,
      headers: { 'retry-after': '7' },
      json: { error: 'APIRateLimitExceeded' },
    }));
    expect(await testZendeskClient(zendesk.baseUrl).viewTickets(360100001)).toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 7,
      cause: 'rate_limit',
    });
  });
});

describe('patiently: reconcile waits out the 429s Zendesk answers views with', () => {
  const refusals = (n: number, answer: string) => {
    let asked = 0;
    return async () => {
      asked += 1;
      return asked <= n ? { kind: 'rate_limited' as const, retryAfterSeconds: 7 } : answer;
    };
  };
  it('sleeps each Retry-After, then returns the answer', async () => {
    const slept: number[] = [];
    const answer = await patiently({ sleep: async (ms) => void slept.push(ms) }, refusals(2, 'the list'));
    expect(answer).toBe('the list');
    expect(slept).toEqual([7000, 7000]);
  });
  it(`gives up after ${MAX_RATE_LIMIT_WAITS} waits, saying so`, async () => {
    const slept: number[] = [];
    await expect(
      patiently({ sleep: async (ms) => void slept.push(ms) }, refusals(MAX_RATE_LIMIT_WAITS + 1, 'never')),
    ).rejects.toThrow(`Zendesk kept refusing with 429 after ${MAX_RATE_LIMIT_WAITS} waits`);
    expect(slept).toHaveLength(MAX_RATE_LIMIT_WAITS);
  });
});
