import { Command } from 'commander';
import {
  explainQueue,
  explainedUpdates,
  fateOf,
  supportContacts,
  talkContacts,
  ticketUpdates,
  type Counts,
  type ExplainedContact,
  type ExplainedUpdate,
  type Period,
  type QueueExplanation,
} from '../../shared/pipeline/explain.js';
import type { Integration } from '../../shared/store/integrations-repository.js';
import { readQueueNames } from '../../shared/pipeline/readback.js';
import type { CliContext } from '../context.js';
import { withDeployedStack } from '../deployed-stack.js';
import { CommandFailedError, UsageError } from '../errors.js';
import { addDataDirOption, dataDirFrom, findIntegration } from '../install-options.js';
import { withLocalInstall } from '../local-install.js';
import { parseInstant, parsePeriod } from '../options.js';
import {
  intervalFloor,
  keepIntervals,
  readCompleteUpTo,
  reportedQueues,
  storedTables,
  type ReportedQueue,
  type StoredTables,
} from '../report.js';
import { count, freshnessLine, integrationHeading, lastRunLine, seconds, table } from '../render.js';

/**
 * `explain`: the contacts behind a queue's stored intervals, one line each, with the sums beside
 * the stored numbers; or, with `--ticket`, every update of a ticket with its verdict and the
 * queues it counted in. Read from the update log and the call facts the pipeline stored while
 * counting (shared/pipeline/explain.ts).
 */
interface ExplainOptions {
  readonly dataDir?: string;
  readonly stackOutputs?: string;
  readonly queue?: string;
  readonly ticket?: string;
  readonly interval?: string;
  readonly day?: string;
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
}

export const ticketLink = (integration: Integration, ticketId: number): string =>
  `https://${integration.domain}/agent/tickets/${ticketId}`;

/** The period asked for: one interval, one UTC day, or --from/--to (default: the whole history). */
export const explainPeriod = (options: ExplainOptions, integration: Integration, now: Date): Period => {
  const given = [options.interval, options.day, options.from ?? options.to].filter((o) => o !== undefined);
  if (given.length > 1) throw new UsageError('--interval, --day and --from/--to: give one of them');
  const minutes = integration.intervalMinutes;
  if (options.interval !== undefined) {
    const start = intervalFloor(parseInstant('--interval', options.interval), minutes);
    return { from: start.toISOString(), to: new Date(start.getTime() + minutes * 60_000).toISOString() };
  }
  if (options.day !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.day))
      throw new UsageError(`--day must be a date like 2026-01-05 (a UTC day), got "${options.day}"`);
    const start = parseInstant('--day', `${options.day}T00:00:00Z`);
    return { from: start.toISOString(), to: new Date(start.getTime() + 86_400_000).toISOString() };
  }
  const { from, to } = parsePeriod(options);
  // Whole intervals, as `history` keeps them; without --to, up to and with the current one.
  const end = to
    ? intervalFloor(to, minutes)
    : new Date(intervalFloor(now, minutes).getTime() + minutes * 60_000);
  return {
    from: (from ?? intervalFloor(new Date(integration.importFrom), minutes)).toISOString(),
    to: end.toISOString(),
  };
};

const findQueue = (
  queues: readonly ReportedQueue[],
  wanted: string,
  integration: Integration,
): ReportedQueue => {
  const w = wanted.trim().toLowerCase();
  const found = queues.find((q) => q.name.toLowerCase() === w || q.id.toLowerCase() === w);
  if (found) return found;
  throw new UsageError(
    `--queue: "${wanted}" is not a source queue of "${integration.name}" (see \`zendesk-wfm queues ${integration.name}\` for the names)`,
  );
};

const countsDocument = (c: Counts, source: 'support' | 'talk') =>
  source === 'talk'
    ? { contacts: c.contacts, handled: c.handled, handleTimeSeconds: c.handleSeconds }
    : { contacts: c.contacts };

const contactDocument = (integration: Integration, name: (queueId: string) => string, c: ExplainedContact) =>
  c.source === 'support'
    ? {
        ticketId: c.ticketId,
        link: ticketLink(integration, c.ticketId),
        updateId: c.updateId,
        at: c.at,
        kind: c.kind,
        zendeskChannel: c.viaChannel,
        authorRole: c.authorRole,
        countedIn: c.queueIds.map(name),
      }
    : {
        callId: c.callId,
        startedAt: c.startedAt,
        direction: c.direction,
        ivrGroup: c.ivrDestinationGroupName,
        phoneNumber: c.phoneNumber,
        handled: c.handled,
        talkSeconds: c.talkSeconds,
        holdSeconds: c.holdSeconds,
        wrapUpSeconds: c.wrapUpSeconds,
        waitSeconds: c.waitSeconds,
        completionStatus: c.completionStatus,
        callback: c.callback,
        withinServiceLevel: c.withinServiceLevel,
      };

export interface QueueExplanationReport {
  readonly integration: Integration;
  readonly queue: ReportedQueue;
  readonly period: Period;
  readonly explanation: QueueExplanation;
  readonly queueName: (queueId: string) => string;
  readonly completeUpTo: Date | null;
}

/** The stores' contents for one queue over a period, explained. */
export const explainQueueReport = async (
  pipeline: StoredTables,
  integration: Integration,
  queueName: string,
  period: Period,
): Promise<QueueExplanationReport> => {
  const repos = pipeline.deps.repos;
  const window = { from: new Date(period.from), to: new Date(period.to) };
  const [names, completeUpTo] = await Promise.all([
    readQueueNames(pipeline.deps, integration.id),
    readCompleteUpTo(pipeline, integration.id),
  ]);
  // Only the queues of the name asked for (or of the queue whose id was given) are read, with the
  // period's intervals: reading every queue to find one took seconds on a large account.
  const wanted = queueName.trim().toLowerCase();
  const byId = [...names].find(([id]) => id.toLowerCase() === wanted);
  const queue = findQueue(
    await reportedQueues(pipeline, integration, window, byId?.[1] ?? queueName),
    queueName,
    integration,
  );
  const contacts =
    queue.source === 'support'
      ? supportContacts(
          explainedUpdates(await repos.interactions.updateLog(integration.id)),
          queue.id,
          period,
          integration.intervalMinutes,
        )
      : talkContacts(await repos.facts.calls(integration.id), queue.id, period);
  const stored = keepIntervals(queue.intervals, window).map((i) => ({
    intervalStart: i.start,
    contacts: i.contacts,
    handled: i.handled ?? 0,
    handleSeconds: i.handleTimeSeconds ?? 0,
  }));
  return {
    integration,
    queue,
    period,
    explanation: explainQueue(contacts, stored),
    queueName: (id) => names.get(id) ?? id,
    completeUpTo,
  };
};

/** The `explain --queue --json` document. */
export const queueExplanationDocument = (r: QueueExplanationReport) => ({
  integration: r.integration.name,
  queue: {
    id: r.queue.id,
    name: r.queue.name,
    source: r.queue.source,
    channel: r.queue.channel,
    ...(r.queue.viewId !== undefined ? { viewId: r.queue.viewId } : {}),
  },
  from: r.period.from,
  to: r.period.to,
  completeUpTo: r.completeUpTo?.toISOString() ?? null,
  lastCompletedRun: r.integration.lastCompletedRun ?? null,
  intervals: r.explanation.intervals.map((i) => ({
    start: i.intervalStart,
    contacts: i.contacts.map((c) => contactDocument(r.integration, r.queueName, c)),
    explained: countsDocument(i.explained, r.queue.source),
    stored: countsDocument(i.stored, r.queue.source),
    agrees: i.agrees,
  })),
  totals: {
    explained: countsDocument(r.explanation.explained, r.queue.source),
    stored: countsDocument(r.explanation.stored, r.queue.source),
    agrees: r.explanation.agrees,
  },
});

const secondsOrDash = (s: number | null) => (s === null ? '—' : seconds(s));

const contactRow = (r: QueueExplanationReport, c: ExplainedContact): string[] =>
  c.source === 'support'
    ? [
        `ticket ${c.ticketId}`,
        ticketLink(r.integration, c.ticketId),
        c.at.replace('.000Z', 'Z'),
        c.updateId === null ? "the ticket's record" : `update ${c.updateId}`,
        c.kind ?? '(replayed)',
        `via ${c.viaChannel ?? '—'}`,
        `by ${c.authorRole ?? 'unknown'}`,
        `in ${c.queueIds.map(r.queueName).join(', ')}`,
      ]
    : [
        `call ${c.callId}`,
        c.startedAt?.replace('.000Z', 'Z') ?? '—',
        c.direction ?? '—',
        c.ivrDestinationGroupName ?? c.phoneNumber ?? '(ungrouped)',
        c.handled ? 'handled' : 'not handled',
        `talk ${secondsOrDash(c.talkSeconds)}`,
        `hold ${secondsOrDash(c.holdSeconds)}`,
        `wrap-up ${secondsOrDash(c.wrapUpSeconds)}`,
        `wait ${secondsOrDash(c.waitSeconds)}`,
        c.completionStatus ?? '—',
        c.callback === null ? '—' : c.callback ? 'callback' : 'not a callback',
        serviceLevelText(c.withinServiceLevel),
      ];

const serviceLevelText = (within: boolean | null) =>
  within === null ? 'not in service level' : within ? 'within service level' : 'outside service level';

const contactsText = (n: number) => `${count(n)} ${n === 1 ? 'contact' : 'contacts'}`;

const countsText = (c: Counts, source: 'support' | 'talk') =>
  source === 'talk'
    ? `${contactsText(c.contacts)}, ${count(c.handled)} handled, ${seconds(c.handleSeconds)} handle time`
    : contactsText(c.contacts);

export const queueExplanationText = (r: QueueExplanationReport): string => {
  const source = r.queue.source;
  const lines = [
    integrationHeading(r.integration),
    `Queue: ${r.queue.name} (${r.queue.id})`,
    `Period: ${r.period.from} → ${r.period.to}`,
    freshnessLine(r.completeUpTo),
    lastRunLine(r.integration),
  ];
  for (const i of r.explanation.intervals) {
    lines.push(
      '',
      `${i.intervalStart}: ${countsText(i.explained, source)}${i.agrees ? ' (as stored)' : `; stored: ${countsText(i.stored, source)}: DIFFERS`}`,
    );
    if (i.contacts.length > 0) {
      const rows = i.contacts.map((c) => contactRow(r, c));
      // The table's first line is its header; these rows need none.
      lines.push(...table(rows[0]!, rows.slice(1)).split('\n'));
    }
  }
  const t = r.explanation;
  lines.push(
    '',
    t.intervals.length === 0
      ? 'No contacts in this period.'
      : `Total: ${countsText(t.explained, source)}; stored: ${countsText(t.stored, source)}: ${t.agrees ? 'they agree' : 'they DIFFER'}.`,
    '',
  );
  return lines.join('\n');
};

export interface TicketExplanationReport {
  readonly integration: Integration;
  readonly ticketId: number;
  readonly updates: readonly ExplainedUpdate[];
  readonly queueName: (queueId: string) => string;
  readonly completeUpTo: Date | null;
}

export const explainTicketReport = async (
  pipeline: StoredTables,
  integration: Integration,
  ticketId: number,
): Promise<TicketExplanationReport> => {
  const [names, log, completeUpTo] = await Promise.all([
    readQueueNames(pipeline.deps, integration.id),
    pipeline.deps.repos.interactions.updateLog(integration.id),
    readCompleteUpTo(pipeline, integration.id),
  ]);
  return {
    integration,
    ticketId,
    updates: ticketUpdates(explainedUpdates(log), ticketId),
    queueName: (id) => names.get(id) ?? id,
    completeUpTo,
  };
};

/** The `explain --ticket --json` document. */
export const ticketExplanationDocument = (r: TicketExplanationReport) => ({
  integration: r.integration.name,
  ticketId: r.ticketId,
  link: ticketLink(r.integration, r.ticketId),
  completeUpTo: r.completeUpTo?.toISOString() ?? null,
  lastCompletedRun: r.integration.lastCompletedRun ?? null,
  updates: r.updates.map((u) => ({
    updateId: u.updateId,
    at: u.at,
    verdict: fateOf(u),
    authorRole: u.authorRole ?? null,
    countedIn: u.queueIds.map(r.queueName),
  })),
});

const fateText = (u: ExplainedUpdate): string => {
  const f = fateOf(u);
  switch (f.kind) {
    case 'counted':
      return `counted: ${f.interaction} in ${f.channel}`;
    case 'unmapped':
      return `not counted: channel ${f.viaChannel ?? '(none)'} is unmapped`;
    case 'skipped':
      return `skipped: ${f.reason}`;
    case 'warm_up':
      return 'warm-up (before the import window: ticket state only)';
    case 'unknown':
      return 'counted by a view replay (classified before the update log was kept)';
  }
};

export const ticketExplanationText = (r: TicketExplanationReport): string =>
  [
    integrationHeading(r.integration),
    `Ticket ${r.ticketId}: ${ticketLink(r.integration, r.ticketId)}`,
    freshnessLine(r.completeUpTo),
    lastRunLine(r.integration),
    '',
    r.updates.length === 0
      ? 'No update of this ticket was imported (or it was imported before the update log was kept).'
      : table(
          ['update', 'at', 'author', 'verdict', 'counted in'],
          r.updates.map((u) => [
            u.updateId === null ? 'record' : String(u.updateId),
            u.at.replace('.000Z', 'Z'),
            u.authorRole ?? '—',
            fateText(u),
            u.queueIds.length > 0 ? u.queueIds.map(r.queueName).join(', ') : '—',
          ]),
        ),
    '',
  ].join('\n');

export const explainCommand = (ctx: CliContext): Command =>
  addDataDirOption(
    new Command('explain')
      .description(
        "List the contacts behind a queue's stored intervals (one line each, totals beside the stored numbers), or every update of a ticket with its verdict.",
      )
      .argument('<name>'),
  )
    .option('--queue <queue>', 'the source queue (its full name, case-insensitive, or its id)')
    .option('--ticket <id>', 'instead of a queue: every update of this ticket, its verdict and its queues')
    .option('--interval <iso>', 'only the interval containing this instant')
    .option('--day <date>', 'only this UTC day (YYYY-MM-DD)')
    .option('--from <iso>', 'only intervals starting at or after this (ISO-8601)')
    .option('--to <iso>', 'only intervals starting before this (ISO-8601)')
    .option('--json', 'print the explanation as one JSON document')
    .option(
      '--stack-outputs <file>',
      "instead of a local install: the deployed stack's tables, named in this `cdk deploy --outputs-file` file (the caller's AWS credentials)",
    )
    .addHelpText(
      'after',
      `
Exit code 1 when the listed contacts do not add up to the stored intervals.

Examples:
  zendesk-wfm explain Acme --data-dir ./wfm-data --queue "Open tickets (email)" --day 2026-01-05
  zendesk-wfm explain Acme --data-dir ./wfm-data --queue "Calls Inbound For Sales" --interval 2026-01-05T09:00Z --json
  zendesk-wfm explain Acme --data-dir ./wfm-data --ticket 4711
  zendesk-wfm explain Acme --stack-outputs cdk-outputs.json --queue "Open tickets (email)" --day 2026-01-05`,
    )
    .action(async (name: string, options: ExplainOptions) => {
      if ((options.queue === undefined) === (options.ticket === undefined))
        throw new UsageError('give --queue <queue> or --ticket <id> (one of them)');
      let ticketId: number | undefined;
      if (options.ticket !== undefined) {
        if (!/^\d+$/.test(options.ticket.trim()))
          throw new UsageError(`--ticket must be a ticket id (a number), got "${options.ticket}"`);
        ticketId = Number(options.ticket.trim());
      }
      const explain = async (tables: StoredTables, integration: Integration) => {
        if (ticketId !== undefined) {
          const report = await explainTicketReport(tables, integration, ticketId);
          ctx.out(
            options.json
              ? `${JSON.stringify(ticketExplanationDocument(report), null, 2)}\n`
              : ticketExplanationText(report),
          );
          return;
        }
        const period = explainPeriod(options, integration, ctx.io.now());
        const report = await explainQueueReport(tables, integration, options.queue!, period);
        ctx.out(
          options.json
            ? `${JSON.stringify(queueExplanationDocument(report), null, 2)}\n`
            : queueExplanationText(report),
        );
        if (!report.explanation.agrees)
          throw new CommandFailedError(
            `the contacts listed do not add up to the stored history of "${report.queue.name}" (see the intervals marked DIFFERS)`,
          );
      };
      if (options.stackOutputs !== undefined) {
        if (options.dataDir !== undefined)
          throw new UsageError(
            '--stack-outputs and --data-dir: give one of them (the deployed stack or a local install)',
          );
        await withDeployedStack(options.stackOutputs, ctx.io.env, async (stack) =>
          explain(storedTables(stack.repos), await stack.integration(name)),
        );
        return;
      }
      const dataDir = dataDirFrom(ctx, options);
      await withLocalInstall({ dataDir, ...ctx.installContext() }, async (install) =>
        explain(install.pipeline, await findIntegration(install, name)),
      );
    });
