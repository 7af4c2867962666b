import { Command } from 'commander';
import { accountFrom, addAccountOptions, prepareIntegration, type AccountOptions } from '../../connection.js';
import type { CliContext } from '../../context.js';
import { addDataDirOption, dataDirFrom } from '../../install-options.js';
import { withLocalInstall } from '../../local-install.js';
import {
  WEBHOOK_SECRET_ENV,
  importWindow,
  parseGrouping,
  parseInterval,
  parseServiceLevel,
  parseWebhookTicketReads,
  type GroupingStrategy,
  type IntervalMinutes,
} from '../../options.js';
import { shellWord } from '../../health.js';
import { type DataDirOptions, signingSecretFrom, signingSecretOfIntegration, webhookPath } from './shared.js';

interface AddOptions extends AccountOptions, DataDirOptions {
  readonly webhookSigningSecret?: string;
  readonly name: string;
  readonly grouping: GroupingStrategy;
  readonly interval: IntervalMinutes;
  readonly serviceLevel?: number;
  readonly since?: string;
  readonly includePersonalViews?: boolean;
  readonly webhookTicketReads?: number;
}

const ADD_EXAMPLES = `
Examples:
  ZENDESK_OAUTH_CLIENT_SECRET=… zendesk-wfm integration add --data-dir ./wfm-data --name Acme \\
      --domain acme.zendesk.com --username admin@acme.com --oauth-client-id wfm --grouping ivr
  zendesk-wfm integration add --data-dir ./wfm-data --name Sandbox --base-url http://127.0.0.1:8080 \\
      --username admin@example.com --token … --grouping phone_number --interval 30 --since 2026-01-01

The credentials are checked against Zendesk first; nothing is saved when they are refused.
The grouping strategy, the interval and the service-level threshold cannot be changed later. It prints the integration's id and
the webhook URL path to give Zendesk; the webhook's signing secret can be added later with
\`integration update NAME --webhook-signing-secret\`.`;

/** What to do after `integration add`: import, and connect Zendesk's webhook. */
export const nextSteps = (
  name: string,
  id: string,
  dataDir: string,
  signed: boolean,
  served: boolean,
): string =>
  [
    `Webhook URL path for Zendesk: ${webhookPath(id)} (on the address \`zendesk-wfm serve\` listens on)`,
    'Next:',
    served
      ? '  nothing to run: the `zendesk-wfm serve` that holds this folder is importing it now (its lines say how far it is)'
      : `  zendesk-wfm sync --data-dir ${shellWord(dataDir)}     # import now; or keep it current with \`zendesk-wfm serve --data-dir ${shellWord(dataDir)}\``,
    ...(signed
      ? ['  (the webhook signing secret is stored: signed webhooks from Zendesk are accepted)']
      : [
          `  ${WEBHOOK_SECRET_ENV}=… zendesk-wfm integration update ${shellWord(name)} --data-dir ${shellWord(dataDir)} --webhook-signing-secret`,
          "      # once Zendesk shows the webhook's signing secret (Admin Center › Apps and integrations › Webhooks)",
        ]),
    '',
  ].join('\n');

export const addCommand = (ctx: CliContext): Command =>
  addAccountOptions(
    addDataDirOption(
      new Command('add')
        .description('Add an integration (credentials checked first) to the local install.')
        .requiredOption('--name <name>', 'a unique name for the integration')
        .requiredOption(
          '--grouping <strategy>',
          'Talk queues by "ivr" group or "phone_number" (fixed)',
          parseGrouping,
        ),
    ),
  )
    .option(
      '--interval <minutes>',
      'interval length: 15, 30 or 60 (fixed)',
      parseInterval,
      15 as IntervalMinutes,
    )
    .option(
      '--service-level <seconds>',
      "Talk's service-level threshold: calls answered within it are in service level (fixed); default 20",
      parseServiceLevel,
    )
    .option('--since <iso>', 'start of the history to import (ISO-8601); default 365 days ago')
    .option(
      '--include-personal-views',
      'count personal views (restricted to one agent) as queues too; default off',
    )
    .option(
      '--webhook-ticket-reads <per-minute>',
      'tickets a minute its webhooks may have read at once (their audits and record: two API requests each), 0 for none; default 20',
      parseWebhookTicketReads,
    )
    .option(
      '--webhook-signing-secret <secret>',
      `the signing secret of the Zendesk webhook that notifies \`zendesk-wfm serve\` (or ${WEBHOOK_SECRET_ENV}); can be added later with \`integration update\``,
    )
    .addHelpText('after', ADD_EXAMPLES)
    .action(async (options: AddOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      const account = accountFrom(ctx, options);
      const signingSecret = signingSecretFrom(
        ctx,
        options.webhookSigningSecret ?? (ctx.io.env[WEBHOOK_SECRET_ENV] !== undefined ? true : undefined),
        WEBHOOK_SECRET_ENV,
      );
      const window = importWindow({ since: options.since }, ctx.io.now());
      const { input, checkCredentials } = await prepareIntegration(ctx, account, {
        name: options.name,
        groupingStrategy: options.grouping,
        intervalMinutes: options.interval,
        ...(options.serviceLevel !== undefined ? { serviceLevelSeconds: options.serviceLevel } : {}),
        ...(options.includePersonalViews === true ? { includePersonalViews: true } : {}),
        ...(options.webhookTicketReads !== undefined
          ? { webhookTicketReadsPerMinute: options.webhookTicketReads }
          : {}),
        historyDays: window.historyDays,
        ...(options.since !== undefined ? { importFrom: window.since } : {}),
      });
      await withLocalInstall(
        { dataDir, ...ctx.installContext(), create: true, checkCredentials },
        async (install) => {
          const { integration: saved, checkPending } = await install.service.create(
            input,
            signingSecret === undefined
              ? undefined
              : signingSecretOfIntegration(install.webhookSecrets, signingSecret),
          );
          if (checkPending !== undefined) ctx.warn(checkPending);
          // Under serve, the import starts now, not at serve's next schedule.
          await install.live?.importNow(saved.id);
          ctx.out(
            `Added integration "${saved.name}" (${saved.domain}), id ${saved.id}, importing from ${saved.importFrom}.\n` +
              nextSteps(
                saved.name,
                saved.id,
                dataDir,
                signingSecret !== undefined,
                install.live !== undefined,
              ),
          );
        },
      );
    });
