import { Command } from 'commander';
import { serveLocal } from '../../local/serve.js';
import type { CliContext } from '../context.js';
import { addDataDirOption, dataDirFrom } from '../install-options.js';
import { openLocalInstall } from '../local-install.js';
import { parseIntegerInRange, parseListenHost, parsePositiveInteger } from '../options.js';

const EXAMPLES = `
Examples:
  zendesk-wfm serve --data-dir ./wfm-data --port 8080
  zendesk-wfm serve --data-dir ./wfm-data --schedule-minutes 15 --host 0.0.0.0

Zendesk (or a tunnel to this machine) posts to http://HOST:PORT/integrations/<integration id>/webhook;
the ids are listed at start-up. Each integration needs its webhook's signing secret
(\`integration add --webhook-signing-secret\`); unsigned or wrongly signed requests are refused.
Stop with Ctrl-C.`;

interface ServeOptions {
  readonly dataDir?: string;
  readonly port?: number;
  readonly host?: string;
  readonly scheduleMinutes?: number;
  readonly coalesceSeconds?: number;
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

/** `zendesk-wfm serve`: the webhook endpoint and the schedule of the deployed stack, on this machine. */
export const serveCommand = (ctx: CliContext): Command =>
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
      'webhooks within this many seconds share one fetch, 1 to 900 (the longest SQS delay; default 30)',
      parseIntegerInRange('--coalesce-seconds', 1, 900),
    )
    .option(
      '--export-requests-per-minute <n>',
      "requests per minute to Zendesk's incremental exports (Zendesk allows 10)",
      parsePositiveInteger('--export-requests-per-minute'),
    )
    .option(
      '--export-page-size <n>',
      'records per export page, 1 to 1000 (default 1000, the most Zendesk sends)',
      parseIntegerInRange('--export-page-size', 1, 1000),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (options: ServeOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      const logger = {
        info: () => undefined,
        warn: (message: string) => ctx.warn(message),
        error: (message: string) => ctx.err(`error: ${message}\n`),
      };
      const install = await openLocalInstall({
        dataDir,
        // serve may start on a new folder: the integrations are added while it runs.
        create: true,
        logger,
        ...(options.exportRequestsPerMinute !== undefined
          ? { exportRequestsPerMinute: options.exportRequestsPerMinute }
          : {}),
        ...(options.exportPageSize !== undefined ? { exportPageSize: options.exportPageSize } : {}),
      });
      try {
        const server = await serveLocal(install.stack, install.pipeline, {
          signingSecrets: install.webhookSecrets,
          logger,
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.host !== undefined ? { host: options.host } : {}),
          scheduleEveryMs: (options.scheduleMinutes ?? 5) * 60_000,
          onDrained: (report) =>
            ctx.err(
              `${new Date().toISOString()} imported: ${report.delivered} messages through the pipeline\n`,
            ),
          ...(options.coalesceSeconds !== undefined ? { coalesceSeconds: options.coalesceSeconds } : {}),
        });
        try {
          const integrations = (await install.service.list()).filter((i) => i.status !== 'deleted');
          ctx.out(`Serving ${server.url}\n`);
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
          await server.stop();
        }
      } finally {
        await install.close();
      }
    });
