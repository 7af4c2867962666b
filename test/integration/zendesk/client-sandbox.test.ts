import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { freeLoopbackPort } from '../../../local/free-port.js';
import type { TicketEventRecord } from '../../../shared/domain/records.js';
import { rateLimitedCheckMessage, zendeskCredentialChecker } from '../../../shared/pipeline/integrations.js';
import type { ZendeskCredentials } from '../../../shared/zendesk/auth.js';
import { ZendeskClient, type ZendeskClientOptions } from '../../../shared/zendesk/client.js';
import type { RejectedRecord } from '../../../shared/zendesk/compact.js';
import { ZendeskPayloadError } from '../../../shared/zendesk/errors.js';
import type { ExportPosition } from '../../../shared/zendesk/positions.js';
import { followExport, type ReadPage } from '../../support/follow-export.js';

/**
 * The client against the Zendesk sandbox over real HTTP: full exports equal the sandbox's data
 * record for record, also through rate limits and injected failures, and no secret ever shows up
 * in a log line or an error.
 */
const logLines: string[] = [];
const errorTexts: string[] = [];
/**
 * The anchor of the sandboxes whose exports are compared: one account, whatever minute each starts
 * in (an anchor defaulting to the current minute gave the later one an event more).
 */
const ANCHOR = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
/** Every access and refresh token the sandbox issued, seen on the wire. */
const issuedTokens = new Set<string>();

const capturingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (String(input).includes('/oauth/tokens')) {
    const body = (await response.clone().json()) as Record<string, unknown>;
    for (const key of ['access_token', 'refresh_token'])
      if (typeof body[key] === 'string') issuedTokens.add(body[key]);
  }
  return response;
};

const clientOf = (sandbox: Sandbox, extra: Partial<ZendeskClientOptions> = {}) =>
  new ZendeskClient({
    baseUrl: sandbox.baseUrl,
    credentials: {
      kind: 'api_token',
      username: sandbox.credentials.email,
      apiToken: sandbox.credentials.apiToken,
    },
    clock: () => sandbox.now().getTime(),
    retryBaseDelayMs: 1,
    fetch: capturingFetch,
    logger: {
      debug: (msg, x) => logLines.push(`${msg} ${JSON.stringify(x ?? {})}`),
      warn: (msg, x) => logLines.push(`${msg} ${JSON.stringify(x ?? {})}`),
    },
    ...extra,
  });

interface Drained<T> {
  records: T[];
  /** Records that did not fit, each rejected on its own. */
  rejected?: RejectedRecord[];
  pages: number;
  largestPageBytes: number;
  last: ExportPosition;
}

/** Follows an export to its end; a rate limit moves the sandbox clock on instead of sleeping. */
const drain = async <T>(
  sandbox: Sandbox,
  read: ReadPage<T>,
  from: ExportPosition,
  into: Drained<T> = { records: [], pages: 0, largestPageBytes: 0, last: from },
): Promise<Drained<T>> => {
  const pages = followExport(read, into.last, {
    onRateLimited: async (s) => sandbox.advanceClock(s),
  });
  for await (const page of pages) {
    into.records.push(...page.records);
    if (page.rejected.length > 0) into.rejected = [...(into.rejected ?? []), ...page.rejected];
    into.pages += 1;
    into.largestPageBytes = Math.max(into.largestPageBytes, Buffer.byteLength(JSON.stringify(page.records)));
    // The position goes through storage as JSON before the next page is asked for.
    into.last = JSON.parse(JSON.stringify(page.next)) as ExportPosition;
  }
  return into;
};

/** One export of one client, bound once so its rate budget and tokens carry from page to page. */
const readerOf = <M extends 'ticketEvents' | 'calls' | 'tickets' | 'users'>(
  client: ZendeskClient,
  method: M,
) => client[method].bind(client) as ZendeskClient[M];

const ids = (records: readonly { id: number }[]) => records.map((r) => r.id);

describe('ZendeskClient against the sandbox (small account)', () => {
  let sandbox: Sandbox;
  let clean: Drained<TicketEventRecord>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: 11,
      size: 'small',
      now: ANCHOR,
      rateLimit: false,
      accessTokenTtlSeconds: 60,
    });
    clean = await drain(sandbox, readerOf(clientOf(sandbox), 'ticketEvents'), { startTime: 0 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('exports every ticket event exactly once, in time order, with every interaction of the ground truth but the creations it leaves out', () => {
    expect(clean.records).toHaveLength(sandbox.eventCount);
    expect(new Set(ids(clean.records)).size).toBe(sandbox.eventCount);
    const timestamps = clean.records.map((r) => r.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    const byId = new Map(clean.records.map((r) => [r.id, r]));
    const leftOut = new Set(sandbox.creations.filter((c) => !c.inTicketEventExport).map((c) => c.auditId));
    expect(leftOut.size).toBeGreaterThan(0);
    const mismatches = sandbox.truth.interactions.filter((i) => {
      const r = byId.get(i.auditId);
      return leftOut.has(i.auditId)
        ? r !== undefined
        : !r || r.ticketId !== i.ticketId || r.createdAt !== i.at.replace('.000Z', 'Z');
    });
    expect(mismatches).toEqual([]);
  });

  it('stores a final position no later than now − 5 minutes, from which a re-run delivers nothing twice', async () => {
    const last = clean.last as { startTime: number };
    expect(last.startTime).toBeLessThanOrEqual(Math.floor(sandbox.now().getTime() / 1000) - 300);
    const rerun = await drain(sandbox, readerOf(clientOf(sandbox), 'ticketEvents'), clean.last);
    expect(rerun.records).toEqual([]);
  });

  it('exports the calls exactly as the ground truth has them', async () => {
    const calls = await drain(sandbox, readerOf(clientOf(sandbox), 'calls'), { startTime: 0 });
    expect(ids(calls.records).sort((a, b) => a - b)).toEqual(ids(sandbox.truth.calls).sort((a, b) => a - b));
    const truth = new Map(sandbox.truth.calls.map((c) => [c.id, c]));
    expect(calls.records.filter((c) => c.direction !== truth.get(c.id)!.direction)).toEqual([]);
  });

  it('exports tickets and users through their cursors, each once', async () => {
    const tickets = await drain(sandbox, readerOf(clientOf(sandbox), 'tickets'), { startTime: 0 });
    expect(new Set(ids(tickets.records)).size).toBe(tickets.records.length);
    const ticketIds = new Set(ids(tickets.records));
    expect(sandbox.truth.interactions.filter((i) => !ticketIds.has(i.ticketId))).toEqual([]);
    expect(tickets.last).toHaveProperty('cursor');
    const users = await drain(sandbox, readerOf(clientOf(sandbox), 'users'), { startTime: 0 });
    expect(new Set(ids(users.records)).size).toBe(users.records.length);
    expect(users.records.find((u) => u.role === 'admin')).toBeDefined();
  });

  it('reads every view, active or not, as the ground truth has them', async () => {
    const views = await clientOf(sandbox).views();
    expect('views' in views && [views.views.map((v) => [v.id, v.title, v.active]), views.rejected]).toEqual([
      sandbox.truth.views.map((v) => [v.id, v.title, v.active]),
      [],
    ]);
  });

  it('reads the audits of a ticket: the same updates as the export, with the same ids and times', async () => {
    const ticketId = sandbox.truth.interactions[0]!.ticketId;
    const audits = await clientOf(sandbox).ticketAudits(ticketId);
    const exported = clean.records.filter((r) => r.ticketId === ticketId);
    expect(Array.isArray(audits) && audits.map((a) => [a.id, a.timestamp, a.updaterId])).toEqual(
      exported.map((e) => [e.id, e.timestamp, e.updaterId]),
    );
  });

  it('completes with nothing lost or duplicated through 2 requests/s, 5xx, 504, timeouts, resets and 429s', async () => {
    const faulty = await startSandbox({
      seed: 11,
      size: 'small',
      now: ANCHOR,
      rateLimit: { perSecond: 2, incrementalPerMinute: 10_000, accountPerMinute: 100_000 },
    });
    try {
      const prefix = '/api/v2/incremental/ticket_events';
      faulty.injectFault({ kind: 'status', status: 500, pathPrefix: prefix, nth: 1, times: 2 });
      faulty.injectFault({ kind: 'status', status: 504, pathPrefix: prefix, nth: 4 });
      // The delayed answer outlasts the client's timeout by far, and an ordinary answer on a loaded
      // machine stays far inside it: a timeout near a normal answer's time failed ordinary requests.
      faulty.injectFault({ kind: 'delay', ms: 20_000, pathPrefix: prefix, nth: 6 });
      faulty.injectFault({ kind: 'reset', pathPrefix: prefix, nth: 8 });
      faulty.injectFault({
        kind: 'rateLimit',
        retryAfterSeconds: 7,
        plainText: true,
        pathPrefix: prefix,
        nth: 10,
      });
      faulty.injectFault({ kind: 'status', status: 503, pathPrefix: prefix, nth: 12 });
      const client = clientOf(faulty, { timeoutMs: 5_000, incrementalPerMinute: 10_000, pageSize: 250 });
      const result = await drain(faulty, readerOf(client, 'ticketEvents'), { startTime: 0 });
      expect(ids(result.records)).toEqual(ids(clean.records));
      expect(logLines.some((l) => l.includes('status 504'))).toBe(true);
      expect(logLines.some((l) => l.includes('timeout after 5000 ms'))).toBe(true);
    } finally {
      await faulty.stop();
    }
  });

  it('fails a malformed page with a typed error and resumes from the stored position without loss; one bad record costs that record only', async () => {
    const prefix = '/api/v2/incremental/ticket_events';
    const client = clientOf(sandbox, { pageSize: 200 });
    const partial: Drained<TicketEventRecord> = {
      records: [],
      pages: 0,
      largestPageBytes: 0,
      last: { startTime: 0 },
    };
    sandbox.injectFault({ kind: 'malformed', pathPrefix: prefix, nth: 3 });
    const malformed = await drain(sandbox, readerOf(client, 'ticketEvents'), { startTime: 0 }, partial).catch(
      (e: unknown) => e,
    );
    expect(malformed).toBeInstanceOf(ZendeskPayloadError);
    errorTexts.push(String(malformed));
    sandbox.clearFaults();
    // A record of the next page with a timestamp of the wrong type: that record is rejected, naming
    // the field, and the export reads on to its end.
    sandbox.injectFault({ kind: 'wrongType', path: 'ticket_events.5.timestamp', pathPrefix: prefix, nth: 1 });
    const resumed = await drain(sandbox, readerOf(client, 'ticketEvents'), partial.last, partial);
    expect(resumed.rejected).toEqual([
      {
        index: 5,
        recordId: expect.any(Number),
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        field: 'timestamp',
        problem: 'Invalid input: expected number, received string',
      },
    ]);
    const lost = resumed.rejected?.[0]?.recordId;
    expect(ids(clean.records)).toContain(lost);
    expect(ids(resumed.records)).toEqual(ids(clean.records).filter((id) => id !== lost));
  });

  describe('credentials', () => {
    const oauth = (): ZendeskCredentials => ({
      kind: 'oauth_client_credentials',
      clientId: sandbox.credentials.oauth.clientId,
      clientSecret: sandbox.credentials.oauth.clientSecret,
    });

    it('renews a client-credentials access token as it expires on the sandbox clock', async () => {
      const client = clientOf(sandbox, { credentials: oauth() });
      const tokenRequests = () => sandbox.requestCount('/oauth/tokens');
      const before = tokenRequests();
      await expect(client.views()).resolves.toMatchObject({ views: { length: sandbox.truth.views.length } });
      sandbox.advanceClock(61);
      await expect(client.views()).resolves.toMatchObject({ views: { length: sandbox.truth.views.length } });
      expect(tokenRequests() - before).toBe(2);
    });

    it('a client whose allowed scopes exclude "read": invalid_scope is asked again once without a scope, and the reads go on (issue: OAuth token requests as Zendesk documents them)', async () => {
      const scoped = await startSandbox({
        seed: 3,
        size: 'tiny',
        rateLimit: false,
        oauthAllowedScopes: ['tickets:read'],
      });
      try {
        const client = clientOf(scoped, {
          credentials: {
            kind: 'oauth_client_credentials',
            clientId: scoped.credentials.oauth.clientId,
            clientSecret: scoped.credentials.oauth.clientSecret,
          },
        });
        await expect(client.views()).resolves.toMatchObject({ views: { length: scoped.truth.views.length } });
        expect(scoped.requestCount('/oauth/tokens')).toBe(2);
      } finally {
        await scoped.stop();
      }
    });

    /** The credential check on an injected clock that its sleeps move on. */
    const checkWithWaits = (maxTotalWaitSeconds?: number) => {
      let now = Date.now();
      const waits: number[] = [];
      const check = zendeskCredentialChecker(() => now, {
        ...(maxTotalWaitSeconds !== undefined ? { maxTotalWaitSeconds } : {}),
        sleep: async (ms) => {
          now += ms;
        },
        onWait: (wait) => waits.push(wait.retryAfterSeconds),
      })({ domain: 'sandbox.zendesk.com', baseUrl: sandbox.baseUrl }, oauth(), async () => undefined);
      return { check, waits };
    };

    it('the credential check waits out a 429 on the token endpoint and on users/me as Retry-After says, then answers (issue: 429 anywhere is a wait)', async () => {
      sandbox.injectFault({ kind: 'rateLimit', retryAfterSeconds: 4, pathPrefix: '/oauth/tokens', times: 1 });
      sandbox.injectFault({
        kind: 'rateLimit',
        retryAfterSeconds: 6,
        pathPrefix: '/api/v2/users/me',
        times: 1,
      });
      const { check, waits } = checkWithWaits();
      expect((await check).kind).toBe('ok');
      expect(waits).toEqual([4, 6]);
    });

    it("a 429 that outlasts the bound ends the check with Zendesk's rate limit named and when to retry", async () => {
      sandbox.injectFault({
        kind: 'rateLimit',
        retryAfterSeconds: 100,
        pathPrefix: '/api/v2/users/me',
        times: 10,
      });
      try {
        const { check, waits } = checkWithWaits(300);
        const answer = await check;
        expect(answer).toEqual({ kind: 'rate_limited', retryAfterSeconds: 100, waitedSeconds: 300 });
        expect(waits).toEqual([100, 100, 100]);
        expect(rateLimitedCheckMessage({ retryAfterSeconds: 100, waitedSeconds: 300 })).toBe(
          "Zendesk's rate limit: the credential check was still answered 429 (Too Many Requests) after waiting 300 s as Zendesk asked; nothing was saved; try again in 100 s or later",
        );
      } finally {
        sandbox.clearFaults();
      }
    });

    it('rotates refresh tokens, storing each before use, so a restarted client carries on', async () => {
      const stored: string[] = [];
      const save = async (token: string) => {
        stored.push(token);
      };
      const refresh = (refreshToken: string): ZendeskCredentials => ({
        kind: 'oauth_refresh_token',
        clientId: sandbox.credentials.oauth.clientId,
        clientSecret: sandbox.credentials.oauth.clientSecret,
        refreshToken,
      });
      const first = clientOf(sandbox, {
        credentials: refresh(sandbox.credentials.oauth.refreshToken),
        saveRefreshToken: save,
      });
      await first.views();
      sandbox.advanceClock(61);
      await first.views();
      expect(stored).toHaveLength(2);
      // A restart: a new client from what the secret store holds.
      const restarted = clientOf(sandbox, { credentials: refresh(stored.at(-1)!), saveRefreshToken: save });
      await expect(restarted.views()).resolves.toMatchObject({
        views: { length: sandbox.truth.views.length },
      });
      // The original refresh token was rotated away and no longer works.
      const stale = clientOf(sandbox, {
        credentials: refresh(sandbox.credentials.oauth.refreshToken),
        saveRefreshToken: save,
      });
      const refused = await stale.views().catch((e: unknown) => e);
      expect(refused).toMatchObject({ endpoint: '/oauth/tokens', status: 400 });
      errorTexts.push(String(refused));
    });

    it('tells an admin, an agent, a wrong token and an unreachable host apart', async () => {
      const agent = sandbox.credentials.agent;
      const port = await freeLoopbackPort();
      const results = await Promise.all([
        clientOf(sandbox).checkCredentials(),
        clientOf(sandbox, {
          credentials: { kind: 'api_token', username: agent.email, apiToken: agent.apiToken },
        }).checkCredentials(),
        clientOf(sandbox, {
          credentials: {
            kind: 'api_token',
            username: sandbox.credentials.email,
            apiToken: 'not-the-token-123',
          },
        }).checkCredentials(),
        clientOf(sandbox, { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 }).checkCredentials(),
      ]);
      expect(results.map((r) => r.kind)).toEqual([
        'ok',
        'not_admin',
        'wrong_credentials',
        'unreachable_or_not_zendesk',
      ]);
      errorTexts.push(...results.map((r) => JSON.stringify(r)));
    });

    it('never lets a token or secret into a log line or an error', () => {
      const secrets = [
        sandbox.credentials.apiToken,
        sandbox.credentials.agent.apiToken,
        sandbox.credentials.oauth.clientSecret,
        sandbox.credentials.oauth.refreshToken,
        Buffer.from(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken}`).toString('base64'),
        ...issuedTokens,
      ];
      expect(issuedTokens.size).toBeGreaterThanOrEqual(5);
      expect(logLines.length).toBeGreaterThan(0);
      const texts = [...logLines, ...errorTexts];
      expect(secrets.filter((s) => texts.some((t) => t.includes(s)))).toEqual([]);
    });
  });
});

describe('ZendeskClient against the sandbox (large account)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, size: 'large', rateLimit: false });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('needs about one request per 1000 ticket events, and a compacted page stays well under 1 MiB', async () => {
    // A slice of the import window (full pages only) keeps the test fast; the ratio is per page.
    const from = { startTime: Math.floor(Date.parse(sandbox.importWindow.since) / 1000) };
    const client = clientOf(sandbox);
    let events = 0;
    let pages = 0;
    let largest = 0;
    const unique = new Set<number>();
    for await (const page of followExport((position) => client.ticketEvents(position), from, {
      maxPages: 40,
      onRateLimited: async (s) => sandbox.advanceClock(s),
    })) {
      pages += 1;
      events += page.records.length;
      for (const r of page.records) unique.add(r.id);
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(page.records)));
    }
    const requests = sandbox.requestCount('/api/v2/incremental/ticket_events');
    const perThousand = requests / (events / 1000);
    console.log(
      `large account: ${requests} requests for ${events} ticket events = ${perThousand.toFixed(4)} per 1000; largest compacted page ${largest} bytes`,
    );
    expect([pages, unique.size]).toEqual([40, events]);
    expect(perThousand).toBeLessThanOrEqual(1.05);
    expect(largest).toBeLessThan(1024 * 1024 * 0.75);
  });
});
