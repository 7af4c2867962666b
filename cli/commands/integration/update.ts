import { Command } from 'commander';
import { addCredentialOptions, cliCredentialChecker, warnIfApiToken } from '../../connection.js';
import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../../install-options.js';
import { withLocalInstall } from '../../local-install.js';
import {
  WEBHOOK_SECRET_ENV,
  collectViewIds,
  credentialsFrom,
  parseGrouping,
  parseInterval,
  parseServiceLevel,
  parseWebhookTicketReads,
  secretsOf,
  type CredentialOptions,
  type GroupingStrategy,
  type IntervalMinutes,
} from '../../options.js';
import { type DataDirOptions, example, signingSecretFrom, signingSecretOfIntegration } from './shared.js';

interface UpdateOptions extends DataDirOptions, CredentialOptions {
  readonly name?: string;
  readonly timeZone?: string;
  readonly includePersonalViews?: boolean;
  readonly excludePersonalViews?: boolean;
  readonly webhookSigningSecret?: string | boolean;
  readonly grouping?: GroupingStrategy;
  readonly interval?: IntervalMinutes;
  readonly serviceLevel?: number;
  readonly webhookTicketReads?: number;
  readonly excludeView?: number[];
  readonly includeView?: number[];
}

const EXAMPLES =
  example(`  zendesk-wfm integration update Acme --data-dir ./wfm-data --name "Acme EU" --time-zone Europe/Berlin
  ZENDESK_WEBHOOK_SIGNING_SECRET=… zendesk-wfm integration update Acme --data-dir ./wfm-data --webhook-signing-secret
  ZENDESK_OAUTH_CLIENT_SECRET=… zendesk-wfm integration update Acme --data-dir ./wfm-data --oauth-client-id wfm
  zendesk-wfm integration update Acme --data-dir ./wfm-data --exclude-view 360100001

The grouping strategy, the interval and the service-level threshold cannot change: the history is
grouped, cut and measured by them.`);

/** Whether the command line names credentials (the environment alone does not replace them). */
const givesCredentials = (o: CredentialOptions): boolean =>
  o.token !== undefined ||
  o.oauthClientId !== undefined ||
  o.oauthClientSecret !== undefined ||
  o.oauthRefreshToken !== undefined ||
  o.oauthScope !== undefined;

export const updateCommand = (ctx: CliContext): Command =>
  addCredentialOptions(
    addDataDirOption(
      new Command('update')
        .description(
          "Change an integration's name, credentials, webhook signing secret, webhook ticket reads, time zone, personal views or view choices.",
        )
        .argument('<name>'),
    ),
  )
    .option('--name <name>', 'a new unique name')
    .option(
      '--time-zone <zone>',
      'IANA time zone date conditions are evaluated in, e.g. Europe/Berlin ("account": the Zendesk account\'s own, the default)',
    )
    .option('--include-personal-views', 'count personal views (restricted to one agent) as queues too')
    .option('--exclude-personal-views', 'count personal views no more (views included one by one stay)')
    .option(
      '--webhook-signing-secret [secret]',
      `the signing secret Zendesk shows for the webhook (without a value: from ${WEBHOOK_SECRET_ENV})`,
    )
    .option(
      '--webhook-ticket-reads <per-minute>',
      'tickets a minute its webhooks may have read at once (their audits and record: two API requests each), 0 for none',
      parseWebhookTicketReads,
    )
    .option(
      '--exclude-view <id>',
      'keep this view out of the queues (repeatable; it keeps its verdict and counts nothing)',
      collectViewIds('--exclude-view'),
    )
    .option(
      '--include-view <id>',
      'count this view again, or a personal view (repeatable; its history is replayed at the next import)',
      collectViewIds('--include-view'),
    )
    .option('--grouping <strategy>', 'refused unless unchanged: fixed once saved', parseGrouping)
    .option('--interval <minutes>', 'refused unless unchanged: fixed once saved', parseInterval)
    .option('--service-level <seconds>', 'refused unless unchanged: fixed once saved', parseServiceLevel)
    .addHelpText('after', EXAMPLES)
    .action(async (name: string, options: UpdateOptions) => {
      const dataDir = dataDirFrom(ctx, options);
      if (options.includePersonalViews === true && options.excludePersonalViews === true)
        throw new UsageError('give either --include-personal-views or --exclude-personal-views, not both');
      const signingSecret = signingSecretFrom(ctx, options.webhookSigningSecret, WEBHOOK_SECRET_ENV);
      const credentials = givesCredentials(options) ? credentialsFrom(options, ctx.io.env) : undefined;
      if (credentials) {
        ctx.redactor.add(...secretsOf(credentials));
        warnIfApiToken(ctx, credentials);
      }
      const viewChoices = options.excludeView !== undefined || options.includeView !== undefined;
      const changes = {
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.timeZone !== undefined
          ? { timeZone: options.timeZone.trim().toLowerCase() === 'account' ? null : options.timeZone }
          : {}),
        ...(options.includePersonalViews === true ? { includePersonalViews: true } : {}),
        ...(options.excludePersonalViews === true ? { includePersonalViews: false } : {}),
        ...(options.grouping !== undefined ? { groupingStrategy: options.grouping } : {}),
        ...(options.interval !== undefined ? { intervalMinutes: options.interval } : {}),
        ...(options.serviceLevel !== undefined ? { serviceLevelSeconds: options.serviceLevel } : {}),
        ...(options.webhookTicketReads !== undefined
          ? { webhookTicketReadsPerMinute: options.webhookTicketReads }
          : {}),
      };
      if (Object.keys(changes).length === 0 && !viewChoices && !credentials && signingSecret === undefined)
        throw new UsageError(
          'nothing to change: give --name, --time-zone, --include-personal-views, --exclude-personal-views, --webhook-signing-secret, --webhook-ticket-reads, credentials (--token or --oauth-client-id), --exclude-view or --include-view',
        );
      await withLocalInstall(
        {
          dataDir,
          ...ctx.installContext(),
          ...(credentials ? { checkCredentials: cliCredentialChecker(ctx) } : {}),
        },
        async (install) => {
          const found = await findIntegration(install, name);
          // Every refusal comes before anything is written: settings first, then Zendesk's word
          // on the credentials, then the writes.
          const planned = await install.service.planUpdate(found.id, changes);
          const said: string[] = [];
          if (credentials) {
            const { integration, checkPending } = await install.service.replaceCredentials(
              found.id,
              credentials,
            );
            if (checkPending !== undefined) ctx.warn(checkPending);
            said.push(`credentials replaced (${integration.credentialKind}); status ${integration.status}`);
          }
          let saved = await install.service.update(found.id, changes);
          if (saved.name !== found.name) said.push(`renamed from "${found.name}"`);
          if (changes.timeZone !== undefined)
            said.push(
              saved.timeZoneChosen === true
                ? `time zone ${saved.timeZone ?? ''}`
                : "time zone: the Zendesk account's own (read at the next import)",
            );
          if (changes.includePersonalViews !== undefined)
            said.push(
              changes.includePersonalViews ? 'personal views counted' : 'personal views no longer counted',
            );
          if (changes.webhookTicketReadsPerMinute !== undefined)
            said.push(
              changes.webhookTicketReadsPerMinute === 0
                ? 'webhooks read no ticket at once (they start imports)'
                : `webhooks read up to ${changes.webhookTicketReadsPerMinute} tickets a minute at once`,
            );
          if (viewChoices) {
            saved = await install.service.chooseViews(found.id, {
              ...(options.excludeView ? { exclude: options.excludeView } : {}),
              ...(options.includeView ? { include: options.includeView } : {}),
            });
            said.push(
              `views excluded ${JSON.stringify(saved.excludedViewIds ?? [])}, included ${JSON.stringify(saved.includedViewIds ?? [])}${install.live ? '' : '; applied at the next import'}`,
            );
          }
          if (signingSecret !== undefined) {
            await install.service.storeSecretOf(
              found.id,
              signingSecretOfIntegration(install.webhookSecrets, signingSecret),
            );
            said.push('webhook signing secret stored: signed webhooks from Zendesk are accepted');
          }
          // Under serve, what changes the import (credentials, views, time zone) takes effect now, not at
          // serve's next schedule: as for a new integration.
          const changesImport =
            credentials !== undefined ||
            viewChoices ||
            changes.timeZone !== undefined ||
            changes.includePersonalViews !== undefined;
          if (install.live && changesImport) {
            await install.live.importNow(found.id);
            said.push('serve imports with the change now');
          }
          if (said.length === 0)
            said.push(
              `unchanged: grouping ${planned.next.groupingStrategy}, ${planned.next.intervalMinutes}-minute intervals`,
            );
          ctx.out(`"${saved.name}": ${said.join('; ')}.\n`);
        },
      );
    });
