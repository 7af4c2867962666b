import { Command } from 'commander';
import { serveLocal } from '../../local/serve.js';
import type { CliContext, CliIo } from '../context.js';
import { addDataDirOption, addExportPaceOptions, dataDirFrom } from '../install-options.js';
import { installLender, openLocalInstall, type LocalInstall } from '../local-install.js';
import { startServeApi, type ServeApi } from '../serve-api/server.js';
import { CONSOLE_TOKEN_ENV, consoleAddress, consoleToken, mountConsole } from '../console/start.js';
import { SERVE_API_FILE } from '../serve-api/protocol.js';
import { resolve } from 'node:path';
import { redriveAndRun } from '../../local/dead-letters.js';
import type { CoverageReport } from '../../shared/pipeline/coverage.js';
import { readCoverage } from '../../shared/pipeline/readback.js';
import type { FailureKind } from '../../shared/store/integrations-repository.js';
import { healthLine, healthOf, newContacts } from '../health.js';
import { readCompleteUpTo } from '../report.js';
import { parseIntegerInRange, parseListenHost } from '../options.js';
import { MAX_DELAY_SECONDS } from '../../shared/webhook/coalesce.js';
import { EXPORT_LAG_SECONDS } from '../../shared/zendesk/positions.js';

const EXAMPLES = `
Examples:
  zendesk-wfm serve --data-dir ./wfm-data --port 8080
  zendesk-wfm serve --data-dir ./wfm-data --schedule-minutes 15 --host 0.0.0.0

Zendesk (or a tunnel to this machine) posts to http://HOST:PORT/integrations/<integration id>/webhook;
the ids are listed at start-up. Each integration needs its webhook's signing secret
(\`integration add --webhook-signing-secret\`); unsigned or wrongly signed requests are refused.
Stop with Ctrl-C.`;

/** The longest coalescing window: with Zendesk's export lag after it, a fetch still fits SQS's delay. */
const MAX_COALESCE_SECONDS = MAX_DELAY_SECONDS - EXPORT_LAG_SECONDS;

interface ServeOptions {
  readonly dataDir?: string;
  readonly port?: number;
  readonly host?: string;
  readonly scheduleMinutes?: number;
  readonly coalesceSeconds?: number;
  readonly exportLagSeconds?: number;
  readonly exportRequestsPerMinute?: number;
  readonly exportPageSize?: number;
}

/** Waits for Ctrl-C or a termination signal. */
const untilSignalled = (): Promise<string> =>
  new Promise((resolve) => {
    const done = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });

/** Failures a later attempt may cure on its own: serve puts their parked work back at each schedule. */
const RETRIED: ReadonlySet<FailureKind> = new Set(['zendesk_unreachable', 'zendesk_errors']);

const retryUnreachable = async (install: LocalInstall): Promise<void> => {
  const { deps } = install.pipeline;
  for (const i of await install.service.list()) {
    if (i.status !== 'failing' || i.failure === undefined || !RETRIED.has(i.failure.kind)) continue;
    // The integration is failing, so nothing of it is scheduled or queued meanwhile: its parked
    // work goes back in order, and the running worker takes it.
    await redriveAndRun(
      install.stack,
      {
        integrations: deps.repos.integrations,
        now: deps.now,
        resume: (id) => install.service.resume(id),
        drain: () => Promise.resolve(),
      },
      i.id,
    );
  }
};

/**
 * One plain line per integration per round of work: what it added and how far it is complete, or
 * since when and why it fails (said again only when that changes).
 */
const healthReporter = (ctx: CliContext, install: LocalInstall, dataDir: string, scheduleMinutes: number) => {
  const coverage = new Map<string, CoverageReport>();
  const told = new Map<string, string>();
  const failingSince = new Map<string, Date>();
  let telling = Promise.resolve();
  const tellNow = async () => {
    const now = ctx.io.now();
    for (const i of await install.service.list()) {
      const current = await readCoverage(install.pipeline.deps, i.id);
      let health = healthOf({
        integration: i,
        newContacts: newContacts(coverage.get(i.id), current),
        completeUpTo: await readCompleteUpTo(install.pipeline, i.id),
        now,
        dataDir,
      });
      coverage.set(i.id, current);
      if (health.failure) {
        // serve's own retries park the work again: the failure started with the first of them.
        const since = failingSince.get(i.id) ?? health.failure.since;
        failingSince.set(i.id, since);
        health = { ...health, failure: { ...health.failure, since } };
      } else failingSince.delete(i.id);
      if (health.state === 'paused') continue;
      // A failure is said when it starts (or changes kind); a working integration after every round.
      const key = health.failure ? health.failure.words : 'working';
      if (health.failure && told.get(i.id) === key) continue;
      told.set(i.id, key);
      const retrying =
        i.failure !== undefined && RETRIED.has(i.failure.kind)
          ? `retrying every ${scheduleMinutes} min`
          : undefined;
      ctx.out(`${healthLine(health, now, retrying)}\n`);
    }
  };
  return {
    /** The coverage before serve's first round: the first line counts what serve itself added. */
    start: async () => {
      for (const i of await install.service.list())
        coverage.set(i.id, await readCoverage(install.pipeline.deps, i.id));
    },
    tell: () => {
      telling = telling.then(tellNow).catch((error: unknown) => {
        ctx.warn(`could not read the integrations' state: ${(error as Error).message}`);
      });
      return telling;
    },
  };
};

/** Runs a command line as `zendesk-wfm` does (program.ts's run), with the io given. */
export type RunCommand = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * `zendesk-wfm serve`: the webhook endpoint and the schedule of the deployed stack, on this machine;
 * and the owner of its data folder: the other commands on the folder run here, through its API.
 */
export const serveCommand = (ctx: CliContext, runCommand: RunCommand): Command =>
  addExportPaceOptions(
    addDataDirOption(
      new Command('serve').description(
        'Keep the local install current: a webhook endpoint for Zendesk plus a schedule, until stopped.',
      ),
    )
      // Every value is checked as it is parsed, so a bad one stops the command before anything starts.
      .option(
        '--port <port>',
        'port to listen on, 1 to 65535 (default: a free one)',
        parseIntegerInRange('--port', 1, 65_535),
      )
      .option('--host <host>', 'address to listen on', parseListenHost, '127.0.0.1')
      .option(
        '--schedule-minutes <n>',
        'minutes between scheduled imports, 1 to 1440 (default 5)',
        parseIntegerInRange('--schedule-minutes', 1, 1440),
      )
      .option(
        '--coalesce-seconds <n>',
        `webhooks within this many seconds share one fetch, 1 to ${MAX_COALESCE_SECONDS} (with the export's minute, the longest SQS delay; default 30)`,
        parseIntegerInRange('--coalesce-seconds', 1, MAX_COALESCE_SECONDS),
      )
      .option(
        '--export-lag-seconds <n>',
        `how long a webhook's fetch waits after its window for Zendesk's export to show the updates, 0 to ${EXPORT_LAG_SECONDS} (default ${EXPORT_LAG_SECONDS}: Zendesk's exports hold back the most recent minute; lower only against a stand-in that hides less)`,
        parseIntegerInRange('--export-lag-seconds', 0, EXPORT_LAG_SECONDS),
      ),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (options: ServeOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      // The console's sign-in is settled before the folder is opened.
      consoleToken(options.host ?? '127.0.0.1', ctx.io.env);
      const logger = {
        info: () => undefined,
        warn: (message: string) => ctx.warn(message),
        error: (message: string) => ctx.err(`error: ${message}\n`),
      };
      const install = await openLocalInstall({
        dataDir,
        env: ctx.io.env,
        notice: (line) => ctx.err(`${line}\n`),
        // serve may start on a new folder: the integrations are added while it runs.
        create: true,
        logger,
        ...(options.exportRequestsPerMinute !== undefined
          ? { exportRequestsPerMinute: options.exportRequestsPerMinute }
          : {}),
        ...(options.exportPageSize !== undefined ? { exportPageSize: options.exportPageSize } : {}),
      });
      const scheduleMinutes = options.scheduleMinutes ?? 5;
      const runLines = healthReporter(ctx, install, dataDir, scheduleMinutes);
      try {
        // The web console runs the same commands as the local API, on the same open install.
        const webConsole = mountConsole({
          dataDir: resolve(dataDir),
          host: options.host ?? '127.0.0.1',
          env: ctx.io.env,
          run: runCommand,
          lend: (signal) => installLender(install, signal),
          now: ctx.io.now,
        });
        await runLines.start();
        const server = await serveLocal(install.pipeline, {
          console: webConsole.handler,
          signingSecrets: install.webhookSecrets,
          logger,
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.host !== undefined ? { host: options.host } : {}),
          scheduleEveryMs: scheduleMinutes * 60_000,
          onDrained: () => runLines.tell(),
          logFailing: false,
          beforeSchedule: () => retryUnreachable(install),
          ...(options.coalesceSeconds !== undefined ? { coalesceSeconds: options.coalesceSeconds } : {}),
          ...(options.exportLagSeconds !== undefined ? { exportLagSeconds: options.exportLagSeconds } : {}),
        });
        let api: ServeApi | undefined;
        try {
          // The other commands on this folder run here, on this open install (cli/serve-api).
          api = await startServeApi({
            dataDir: resolve(dataDir),
            execute: (request, output, signal) =>
              runCommand(request.argv, {
                ...output,
                env: request.env,
                stderrIsTty: request.terminalColumns !== undefined,
                ...(request.terminalColumns !== undefined ? { stderrColumns: request.terminalColumns } : {}),
                now: ctx.io.now,
                lender: installLender(install, signal),
              }),
          });
          const integrations = (await install.service.list()).filter((i) => i.status !== 'deleted');
          webConsole.listening(Number(new URL(server.url).port));
          ctx.out(`Serving ${server.url}\n`);
          ctx.out(
            `Console: ${consoleAddress(server.url)}${webConsole.requiresSignIn ? ` (sign in with the token of ${CONSOLE_TOKEN_ENV})` : ''}\n`,
          );
          ctx.out(
            `Other commands on ${dataDir} run here, through the local API on 127.0.0.1:${api.port} (its token: ${SERVE_API_FILE} in the folder, readable by you only)\n`,
          );
          for (const i of integrations) {
            const signed = (await install.webhookSecrets.get(i.id)) !== undefined;
            ctx.out(
              `  ${i.name} (${i.status}): ${server.url}/integrations/${i.id}/webhook${signed ? '' : '  (no signing secret: webhooks refused)'}\n`,
            );
          }
          const ended = await Promise.race([untilSignalled(), server.stoppedBy]);
          // A full disk stops serve with its plain message and a non-zero exit.
          if (ended instanceof Error) throw ended;
          ctx.err(`${ended}: stopping\n`);
        } finally {
          // The API and the console first: the commands they run stop with their work queued, then the worker stops.
          webConsole.stop();
          await api?.stop();
          await server.stop();
        }
      } finally {
        await install.close();
      }
    });
