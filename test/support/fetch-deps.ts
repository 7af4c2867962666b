/**
 * The fetch use case's ports for tests: each does nothing, or keeps what it is given in memory, so
 * a test names only the ports its rule is about.
 */
import type { FetchDeps } from '../../shared/pipeline/fetch.js';
import type { StreamCursor } from '../../shared/store/cursors-repository.js';
import type { Integration } from '../../shared/store/integrations-repository.js';
import { ZendeskClient, type ZendeskClientOptions } from '../../shared/zendesk/client.js';
import { ACME, modifyOf } from './integrations.js';

/** The clock every fetch test's data is imported at. */
export const FETCH_NOW = '2026-01-03T00:00:00Z';

/** Cursors kept per stream; `advance` moves one and returns it. */
export const memoryCursors = (initial: Iterable<[string, StreamCursor]> = []) => {
  const cursors = new Map<string, StreamCursor>(initial);
  const port: FetchDeps['cursors'] = {
    get: async (_id, stream) => cursors.get(stream),
    advance: async (_id, stream, seq, position) => {
      const cursor = { position, seq: seq + 1 };
      cursors.set(stream, cursor);
      return cursor;
    },
  };
  return { cursors, port };
};

/** An integration read back as last saved (a failure the fetch marks is then what it reads). */
export const savedIntegrations = (initial: Integration = ACME) => {
  const saved: Integration[] = [];
  const port: FetchDeps['integrations'] = {
    get: async () => saved.at(-1) ?? initial,
    modify: modifyOf(
      () => saved.at(-1) ?? initial,
      (integration) => void saved.push(integration),
    ),
    recordCompletedRun: async () => undefined,
  };
  return { saved, port };
};

/** A client of a fake Zendesk at `baseUrl` with test credentials; no retries unless told. */
export const testZendeskClient = (baseUrl: string, options: Partial<ZendeskClientOptions> = {}) =>
  new ZendeskClient({
    baseUrl,
    credentials: { kind: 'api_token', username: 'admin@acme.test', apiToken: 'zd-api-token-5f1e2d3c' },
    clock: () => Date.parse(FETCH_NOW),
    maxRetries: 0,
    ...options,
  });

/**
 * Whose turn it is to read, kept in memory as the integrations table keeps it (one integration):
 * `log` lists what each call did.
 */
export const memoryRuns = () => {
  let turn: { runId: string; beat: number; next?: string } | undefined;
  const log: string[] = [];
  const port: FetchDeps['runs'] = {
    claim: async (_id, runId, now, staleBefore) => {
      const ok = turn === undefined || turn.runId === runId || turn.beat < staleBefore;
      if (ok) turn = { ...turn, runId, beat: now };
      log.push(`claim ${runId}: ${ok}`);
      return ok;
    },
    queue: async (_id, runId, staleBefore) => {
      const ok = turn !== undefined && turn.runId !== runId && turn.beat >= staleBefore;
      if (ok) turn = { ...turn!, next: runId };
      log.push(`queue ${runId}: ${ok}`);
      return ok;
    },
    finish: async (_id, runId) => {
      if (turn?.runId !== runId) return null;
      const next = turn.next ?? null;
      turn = next === null ? undefined : { runId: next, beat: 0 };
      log.push(`finish ${runId}: ${next}`);
      return next;
    },
    release: async (_id, runId) => {
      if (turn?.runId === runId) turn = undefined;
      log.push(`release ${runId}`);
    },
  };
  return { port, log, turn: () => turn };
};

/** FetchDeps of ACME, with these ports instead of the ones that do nothing. */
export const fetchDepsWith = (ports: Partial<FetchDeps> = {}): FetchDeps => ({
  integrations: savedIntegrations().port,
  cursors: memoryCursors().port,
  runs: memoryRuns().port,
  quarantine: { put: async () => true },
  deadLetters: { canPark: () => true, park: async () => undefined },
  bus: { sendChanges: async () => undefined, sendFetchJob: async () => undefined },
  zendesk: async () => {
    throw new Error('no Zendesk here');
  },
  logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  progress: () => undefined,
  settings: {
    fetchTimeBudgetMs: 0,
    ticketStateWarmUpDays: 7,
    maxRetryDelaySeconds: 900,
    maxMalformedAttempts: 3,
  },
  now: () => new Date(FETCH_NOW),
  ...ports,
});
