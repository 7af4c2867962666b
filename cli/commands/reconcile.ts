import { Command } from 'commander';
import type { ViewCondition } from '../../shared/domain/records.js';
import {
  reconcile,
  type ReconcileDeps,
  type Reconciliation,
  type SetComparison,
  type TicketDifference,
} from '../../shared/pipeline/reconcile.js';
import { zendeskClients } from '../../shared/pipeline/zendesk.js';
import type { Integration } from '../../shared/store/integrations-repository.js';
import type { SecretStore } from '../../shared/store/secret-store.js';
import type { CliContext } from '../context.js';
import { withDeployedStack } from '../deployed-stack.js';
import { CommandFailedError, UsageError } from '../errors.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { readCompleteUpTo, storedTables, type StoredTables } from '../report.js';
import { count, freshnessLine, integrationHeading, lastRunLine, table } from '../render.js';
import { ticketLink } from './explain.js';

/**
 * `reconcile`: checks the product's reconstruction against Zendesk's own answers now (views,
 * creations, inbound calls; shared/pipeline/reconcile.ts) and exits 1 when anything differs
 * beyond what it can explain.
 */
export interface ReconcileReport {
  readonly integration: Integration;
  readonly completeUpTo: Date | null;
  readonly result: Reconciliation;
}

export const reconcileReport = async (
  pipeline: StoredTables,
  integration: Integration,
  at: Date,
  zendesk: ReconcileDeps['zendesk'],
  overrides: Pick<ReconcileDeps, 'matches'> = {},
): Promise<ReconcileReport> => {
  const repos = pipeline.deps.repos;
  const completeUpTo = await readCompleteUpTo(pipeline, integration.id);
  const result = await reconcile(
    {
      views: repos.views,
      ticketState: repos.ticketState,
      interactions: repos.interactions,
      facts: repos.facts,
      users: repos.users,
      zendesk,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...overrides,
    },
    integration,
    at,
    completeUpTo,
  );
  return { integration, completeUpTo, result };
};

const conditionText = (c: ViewCondition) => `${c.field} ${c.operator} ${JSON.stringify(c.value)}`;

export const differenceText = (d: TicketDifference): string => {
  const where = d.onlyIn === 'zendesk' ? 'in Zendesk’s list only' : 'in the product’s list only';
  switch (d.reason.kind) {
    case 'no_state':
      return `${where}: not updated since the import's warm-up began, so the product holds no state of it (explained)`;
    case 'updated_after_import':
      return `${where}: Zendesk updated it at ${d.reason.updatedAt}, after the product's history is complete (explained)`;
    case 'time_based':
      return `${where}: decided by a condition on time, evaluated at a different instant: ${d.reason.conditions.map(conditionText).join(', ')} (explained)`;
    case 'conditions':
      return d.onlyIn === 'zendesk'
        ? `${where}: the product's state fails ${d.reason.conditions.map(conditionText).join(', ')}`
        : `${where}: the product's state satisfies every condition (${d.reason.conditions.map(conditionText).join(', ')})`;
  }
};

const setDocument = (c: SetComparison) => ({
  zendesk: c.zendesk,
  product: c.product,
  countedAsContacts: c.counted,
  onlyInZendesk: [...c.onlyInZendesk],
  onlyInProduct: [...c.onlyInProduct],
  agrees: c.agrees,
});

/** The `reconcile --json` document. */
export const reconcileDocument = (r: ReconcileReport) => ({
  integration: r.integration.name,
  at: r.result.at,
  completeUpTo: r.completeUpTo?.toISOString() ?? null,
  lastCompletedRun: r.integration.lastCompletedRun ?? null,
  window: { ...r.result.window },
  views: r.result.views.map((v) => ({
    id: v.viewId,
    title: v.title,
    product: v.product,
    zendesk: v.zendesk,
    verdict: v.verdict,
    differences: v.differences.map((d) => ({
      ticketId: d.ticketId,
      link: ticketLink(r.integration, d.ticketId),
      onlyIn: d.onlyIn,
      reason: d.reason,
      explained: d.explained,
    })),
  })),
  creations: setDocument(r.result.creations),
  inboundCalls: 'talkRefused' in r.result.calls ? { ...r.result.calls } : setDocument(r.result.calls),
  agrees: r.result.agrees,
});

const setLine = (what: string, c: SetComparison, counted: boolean) =>
  `${what}: Zendesk ${count(c.zendesk)}, product ${count(c.product)}${counted ? ` (${count(c.counted)} counted as contacts)` : ''}: ${
    c.agrees
      ? 'they agree'
      : `they DIFFER (only in Zendesk: ${c.onlyInZendesk.join(', ') || 'none'}; only in the product: ${c.onlyInProduct.join(', ') || 'none'})`
  }`;

export const reconcileText = (r: ReconcileReport): string => {
  const { result } = r;
  const lines = [
    integrationHeading(r.integration),
    `Checked against Zendesk at ${result.at}`,
    freshnessLine(r.completeUpTo),
    lastRunLine(r.integration),
    '',
    table(
      ['view', 'id', 'product', 'zendesk', 'verdict'],
      result.views.map((v) => [
        v.title,
        String(v.viewId),
        count(v.product),
        v.verdict === 'gone' ? 'no view' : v.zendesk === null ? 'not counted yet' : count(v.zendesk),
        v.verdict === 'agrees'
          ? 'agrees'
          : v.verdict === 'gone'
            ? 'gone from Zendesk: its history stays, the next run marks it deleted'
            : v.verdict === 'explained'
              ? `differs by ${v.differences.length}, all explained`
              : `DIFFERS by ${v.differences.filter((d) => !d.explained).length}`,
      ]),
      ['left', 'right', 'right', 'right', 'left'],
    ),
  ];
  for (const v of result.views.filter((x) => x.differences.length > 0)) {
    lines.push('', `${v.title} (${v.viewId}):`);
    for (const d of v.differences)
      lines.push(`  ticket ${d.ticketId} ${ticketLink(r.integration, d.ticketId)}: ${differenceText(d)}`);
  }
  lines.push(
    '',
    `Window: ${result.window.from} → ${result.window.to}`,
    setLine('Tickets created', result.creations, true),
    'talkRefused' in result.calls
      ? `Inbound calls: not compared: Zendesk refuses its Talk export (${result.calls.talkRefused})`
      : setLine('Inbound calls', result.calls, false),
    '',
    result.agrees
      ? 'The product agrees with Zendesk (differences, if any, are explained above).'
      : 'The product DIFFERS from Zendesk beyond what it can explain (see above).',
    '',
  );
  return lines.join('\n');
};

export const reconcileCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('reconcile')
      .description(
        "Check an integration's reconstruction against Zendesk now: each counted view's tickets, tickets created and inbound calls in the window.",
      )
      .argument('<name>'),
  )
    .option('--json', 'print the comparison as one JSON document')
    .option(
      '--stack-outputs <file>',
      "instead of a local install: the deployed stack's tables and Secrets Manager, named in this `cdk deploy --outputs-file` file (the caller's AWS credentials)",
    )
    .addHelpText(
      'after',
      `
Exit code 1 when anything differs beyond what it can explain (a ticket not updated since the
import began, one Zendesk changed after the last import, a condition on time evaluated at another
instant are explained). Run it right after a sync for the fewest explained differences.

Examples:
  zendesk-wfm reconcile Acme --data-dir ./wfm-data
  zendesk-wfm reconcile Acme --data-dir ./wfm-data --json
  zendesk-wfm reconcile Acme --stack-outputs cdk-outputs.json`,
    )
    .action(async (name: string, options: { dataDir?: string; json?: boolean; stackOutputs?: string }) => {
      const check = async (tables: StoredTables, integration: Integration, secrets: SecretStore) => {
        const zendesk = await zendeskClients(secrets)(integration);
        const report = await reconcileReport(tables, integration, ctx.io.now(), zendesk);
        ctx.out(
          options.json ? `${JSON.stringify(reconcileDocument(report), null, 2)}\n` : reconcileText(report),
        );
        if (!report.result.agrees)
          throw new CommandFailedError(
            `"${integration.name}" differs from Zendesk beyond what can be explained (see the views and counts marked DIFFERS)`,
          );
      };
      if (options.stackOutputs !== undefined) {
        if (options.dataDir !== undefined)
          throw new UsageError(
            '--stack-outputs and --data-dir: give one of them (the deployed stack or a local install)',
          );
        await withDeployedStack(options.stackOutputs, ctx.io.env, async (stack) =>
          check(storedTables(stack.repos), await stack.integration(name), stack.secrets),
        );
        return;
      }
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) =>
        check(install.pipeline, await findIntegration(install, name), install.pipeline.deps.secrets),
      );
    });
