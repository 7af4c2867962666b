import { Command } from 'commander';
import { checkAccount, type Account } from '../connection.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { failIfFailing, importOne, warnAboutParkedMessages } from '../import-run.js';
import { installLender, withLocalInstall } from '../local-install.js';
import { startConsoleServer } from '../console/start.js';
import type { RunCommand } from './serve.js';
import { SANDBOX_DOMAIN, parseInstant, parsePositiveInteger } from '../options.js';
import { paceFrom, Progress } from '../progress.js';
import { integrationSummary } from '../report.js';
import { importSummary } from '../render.js';

/** Export requests per minute the demo's sandbox allows, and the pipeline uses (Zendesk: 10). */
export const DEMO_EXPORT_REQUESTS_PER_MINUTE = 600;
const DEMO_SIZES = ['tiny', 'small', 'medium'] as const;
type DemoSize = (typeof DEMO_SIZES)[number];

const parseSize = (raw: string): DemoSize => {
  if ((DEMO_SIZES as readonly string[]).includes(raw)) return raw as DemoSize;
  throw new UsageError(`--size must be one of ${DEMO_SIZES.join(', ')}, got "${raw}"`);
};

/**
 * The instant the demo's sandbox clock starts at: the account's data is generated back from it, so
 * a seed and a start give the same account, window and summary on every run.
 */
const parseDemoNow = (raw: string): Date => parseInstant('--now', raw);

/** Waits for Ctrl-C (or a termination signal). */
const untilInterrupted = (): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });

/**
 * The demo's install lives in memory: the console's commands name this instead of a folder, and
 * the install is lent to them, so no folder is ever opened.
 */
const DEMO_INSTALL = '(the demo install, in memory)';

/** `npm start`: the whole local pipeline against the bundled sandbox, and its summary. */
export const demoCommand = (ctx: CliContext, runCommand: RunCommand): Command =>
  new Command('demo')
    .description(
      'Start the Zendesk sandbox with a seeded account, import it through the full local pipeline and print the summary.',
    )
    .option('--size <size>', `sandbox account size: ${DEMO_SIZES.join(', ')}`, parseSize, 'small' as DemoSize)
    .option('--seed <n>', 'seed of the synthetic account', parsePositiveInteger('--seed'), 1)
    .option(
      '--now <iso>',
      "the sandbox clock's start (default: now, to the minute); with --seed, the same account and numbers every run",
      parseDemoNow,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npm start\n  zendesk-wfm demo --size tiny --seed 7\n  zendesk-wfm demo --seed 7 --now 2026-01-05T10:00:00Z',
    )
    .action(async (options: { size: DemoSize; seed: number; now?: Date }) => {
      const started = Date.now();
      if (options.now !== undefined && options.now.getTime() > ctx.io.now().getTime())
        throw new UsageError(
          `--now must not be in the future: the import reads Zendesk up to the present (got ${options.now.toISOString()})`,
        );
      const { startSandbox } = await import('../../sandbox/index.js');
      const sandbox = await startSandbox({
        seed: options.seed,
        size: options.size,
        ...(options.now !== undefined ? { now: options.now } : {}),
        rateLimit: {
          incrementalPerMinute: DEMO_EXPORT_REQUESTS_PER_MINUTE,
          accountPerMinute: 10 * DEMO_EXPORT_REQUESTS_PER_MINUTE,
        },
      });
      try {
        const { oauth, email } = sandbox.credentials;
        ctx.redactor.add(oauth.clientSecret, oauth.refreshToken, sandbox.credentials.apiToken);
        ctx.out(
          [
            `Zendesk sandbox: a ${options.size} synthetic account (seed ${options.seed}: ${sandbox.eventCount.toLocaleString('en-US')} ticket events, ${sandbox.truth.calls.length.toLocaleString('en-US')} calls, ${sandbox.truth.views.length} views) at ${sandbox.baseUrl}`,
            `Its rate limits are relaxed to ${DEMO_EXPORT_REQUESTS_PER_MINUTE} export requests per minute (Zendesk allows 10) so the demo finishes in under a minute.`,
            'Importing through the local pipeline: DynamoDB Local, the SQS emulator and the Lambda handlers...',
            '',
            '',
          ].join('\n'),
        );
        const account: Account = {
          domain: SANDBOX_DOMAIN,
          baseUrl: sandbox.baseUrl,
          username: email,
          credentials: {
            kind: 'oauth_client_credentials',
            clientId: oauth.clientId,
            clientSecret: oauth.clientSecret,
          },
        };
        const window = { since: new Date(sandbox.importWindow.since), until: sandbox.now() };
        const checkCredentials = await checkAccount(account);
        const progress = new Progress(
          ctx.progressOutput(),
          window,
          Date.now,
          paceFrom({ exportRequestsPerMinute: DEMO_EXPORT_REQUESTS_PER_MINUTE }),
        );
        await withLocalInstall(
          {
            env: ctx.io.env,
            logger: progress.logger,
            checkCredentials,
            exportRequestsPerMinute: DEMO_EXPORT_REQUESTS_PER_MINUTE,
          },
          async (install) => {
            const integration = (
              await install.service.create({
                name: 'Sandbox',
                ...account,
                groupingStrategy: 'ivr',
                intervalMinutes: 15,
                historyDays: sandbox.profile.importDays + 1,
                importFrom: window.since.toISOString(),
              })
            ).integration;
            const run = await importOne(install, integration.id, progress);
            progress.finish();
            warnAboutParkedMessages(ctx, run);
            const report = await integrationSummary(
              install.pipeline,
              await failIfFailing(install, integration.id),
            );
            ctx.out(
              importSummary(report, {
                elapsedMs: Date.now() - started,
                progress: progress.counts(),
                window: { since: window.since, until: sandbox.now() },
              }),
            );
            // A person at a terminal gets the console on this import; a script gets its exit.
            if (!ctx.io.stdoutIsTty) return;
            const stopping = new AbortController();
            const web = await startConsoleServer({
              dataDir: DEMO_INSTALL,
              env: {},
              run: runCommand,
              lend: (signal) => installLender(install, AbortSignal.any([signal, stopping.signal])),
              now: ctx.io.now,
            });
            try {
              ctx.out(`\nConsole: ${web.url}  (charts of these queues; Ctrl-C to stop)\n`);
              await untilInterrupted();
            } finally {
              stopping.abort();
              await web.stop();
            }
          },
        );
      } finally {
        await sandbox.stop();
      }
    });
