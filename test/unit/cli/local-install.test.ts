import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../../cli/errors.js';
import {
  installLender,
  maxRetryDelayFromEnv,
  openLocalInstall,
  reserveBytesFromEnv,
  type LocalInstall,
} from '../../../cli/local-install.js';
import type { RunOptions } from '../../../local/runner.js';

describe('ZENDESK_WFM_MIN_FREE_MB: the free space a local run keeps in hand', () => {
  it.each<[string, string | undefined, number | undefined]>([
    ['unset: the default', undefined, undefined],
    ['empty: the default', '', undefined],
    ['whole MiB', '64', 64 * 1048576],
    ['0 turns the reserve off', '0', 0],
  ])('%s', (_rule, value, bytes) => {
    expect(reserveBytesFromEnv(value === undefined ? {} : { ZENDESK_WFM_MIN_FREE_MB: value })).toBe(bytes);
  });

  it.each(['abc', '-5', '1.5'])('"%s" is refused, naming the variable', (value) => {
    expect(() => reserveBytesFromEnv({ ZENDESK_WFM_MIN_FREE_MB: value })).toThrow(
      new UsageError(`ZENDESK_WFM_MIN_FREE_MB must be a whole number of MiB (0 or more), got "${value}"`),
    );
  });
});

describe('ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS: the longest a local run waits before a retry', () => {
  it.each<[string, string | undefined, number | undefined]>([
    ['unset: the full backoffs', undefined, undefined],
    ['empty: the full backoffs', '', undefined],
    ['whole seconds', '5', 5],
    ['0: retries at once', '0', 0],
  ])('%s', (_rule, value, seconds) => {
    expect(
      maxRetryDelayFromEnv(value === undefined ? {} : { ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS: value }),
    ).toBe(seconds);
  });

  it.each(['abc', '-5', '1.5'])('"%s" is refused, naming the variable', (value) => {
    expect(() => maxRetryDelayFromEnv({ ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS: value })).toThrow(
      new UsageError(
        `ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS must be a whole number of seconds (0 or more), got "${value}"`,
      ),
    );
  });
});

describe("serve's install lent to the commands it runs for its API's clients", () => {
  /** Serve's open install, as far as lending touches it: what its pipeline was asked is recorded. */
  const serveInstall = () => {
    const drained: RunOptions[] = [];
    const sent: unknown[] = [];
    let stopped = 0;
    const install = {
      stack: { stop: () => Promise.resolve(void (stopped += 1)) },
      pipeline: {
        deps: { now: () => new Date('2026-12-02T10:00:00Z') },
        // The operator's fetch goes through the integration service's admin-checked clients.
        admin: { bus: { sendFetchJob: (job: unknown) => Promise.resolve(void sent.push(job)) } },
        drain: (run: RunOptions) => Promise.resolve(void drained.push(run)),
        sync: (run: RunOptions) => Promise.resolve(void drained.push(run)),
      },
      webhookSecrets: {},
      close: () => Promise.resolve(void (stopped += 1)),
    } as unknown as LocalInstall;
    return { install, drained, sent, stopped: () => stopped };
  };

  it("a command's close leaves serve's install open", async () => {
    const serve = serveInstall();
    const lent = installLender(serve.install, new AbortController().signal).lend({});
    await lent.close();
    expect(serve.stopped()).toBe(0);
    expect(lent.stack).toBe(serve.install.stack);
    expect(lent.webhookSecrets).toBe(serve.install.webhookSecrets);
  });

  it("the command's runs stop when serve stops or its client goes (the lender's signal), or on their own signal", async () => {
    const serve = serveInstall();
    const stopping = new AbortController();
    const lent = installLender(serve.install, stopping.signal).lend({});
    const own = new AbortController();
    await lent.pipeline.drain({ timeoutMs: 5 });
    await lent.pipeline.sync({ runId: 'r', signal: own.signal });
    expect(serve.drained.map((r) => r.signal?.aborted)).toEqual([false, false]);
    expect(serve.drained[1]).toMatchObject({ runId: 'r' });
    own.abort();
    expect(serve.drained.map((r) => r.signal?.aborted)).toEqual([false, true]);
    stopping.abort();
    expect(serve.drained.map((r) => r.signal?.aborted)).toEqual([true, true]);
    expect(serve.drained[0]).toMatchObject({ timeoutMs: 5 });
  });

  it.each<[string, Record<string, number>, string[]]>([
    ['no run setting: nothing said', {}, []],
    [
      "a pace (rate, page size) is not applied, and said so: the history is the same at serve's",
      { exportRequestsPerMinute: 30, exportPageSize: 100 },
      [
        'warning: --export-requests-per-minute and --export-page-size not applied: the `zendesk-wfm serve` that holds this folder reads Zendesk at its own pace (its own options); the history is the same',
      ],
    ],
  ])('run settings of a command in serve: %s', (_rule, settings, said) => {
    const notices: string[] = [];
    installLender(serveInstall().install, new AbortController().signal).lend({
      ...settings,
      notice: (line) => void notices.push(line),
    });
    expect(notices).toEqual(said);
  });

  it.each([
    ['ZENDESK_WFM_MIN_FREE_MB', 'abc', 'MiB'],
    ['ZENDESK_WFM_MAX_RETRY_DELAY_SECONDS', 'soon', 'seconds'],
  ])(
    'a mistyped %s is refused in serve as without it (exit 2, naming the variable)',
    async (name, value, unit) => {
      const lender = installLender(serveInstall().install, new AbortController().signal);
      await expect(openLocalInstall({ lender, env: { [name]: value } })).rejects.toThrow(
        new UsageError(`${name} must be a whole number of ${unit} (0 or more), got "${value}"`),
      );
    },
  );

  it('run settings of a command in serve: a warm-up, which changes what an import counts, is refused naming the option', () => {
    const lender = installLender(serveInstall().install, new AbortController().signal);
    expect(() => lender.lend({ ticketStateWarmUpDays: 0 })).toThrow(
      new UsageError(
        '--warm-up-days: the `zendesk-wfm serve` that holds this folder imports with its own warm-up; leave the option out, or stop serve to import with it',
      ),
    );
  });

  it('is live: importNow starts an import run of the integration at once', async () => {
    const serve = serveInstall();
    const lent = installLender(serve.install, new AbortController().signal).lend({});
    await lent.live?.importNow('i-1');
    expect(serve.sent).toEqual([
      {
        version: 1,
        integrationId: 'i-1',
        stream: 'users',
        chain: true,
        runId: 'serve-2026-12-02T10:00:00.000Z',
      },
    ]);
  });
});
