/**
 * What a command reports about one integration: its published queues (with their stable ids,
 * within the reporting window), view verdicts and coverage, in the shape of the `--json` contract.
 */
import type { Repositories } from '../shared/pipeline/deps.js';
import type { CoverageReport } from '../shared/pipeline/coverage.js';
import { addTalkFigures, type TalkFigures } from '../shared/domain/counters.js';
import {
  eachQueueWithBacklog,
  readCoverage,
  readPublishedQueues,
  readViewVerdicts,
  type PublishedInterval,
  type PublishedQueue,
  type ViewVerdict,
} from '../shared/pipeline/readback.js';
import type { BacklogStep } from '../shared/domain/queue-series.js';
import type { Integration } from '../shared/store/integrations-repository.js';
import type { IntervalWindow } from '../shared/store/queue-history-repository.js';
import { countedUpTo } from '../shared/pipeline/freshness.js';
import { serviceLevelSecondsOf } from '../shared/domain/talk.js';

/**
 * The stored tables a report reads: a local install's pipeline, or the deployed stack's tables
 * (`explain --stack-outputs`).
 */
export interface StoredTables {
  readonly deps: Repositories & { readonly repos: Repositories };
}

/** The deployed stack's (or any) tables as a report reads them. */
export const storedTables = (repos: Repositories): StoredTables => ({ deps: { ...repos, repos } });

export interface ReportedQueue extends PublishedQueue {
  readonly id: string;
  /**
   * Support only: the backlog at the end of every stored interval, quiet ones included, over the
   * whole history; in a report of a window, those in the window and, before it, those where the
   * backlog moved (a backlog is carried in from before it); absent for a history recorded before
   * the backlog. Not in the `--json` documents.
   */
  readonly backlogSteps?: readonly BacklogStep[];
}

export interface IntegrationReport {
  readonly integration: Integration;
  readonly queues: ReportedQueue[];
  readonly views: ViewVerdict[];
  readonly coverage: CoverageReport;
}

export interface ReportWindow {
  /** Intervals starting before this are left out (inclusive start). */
  readonly from?: Date;
  /**
   * Intervals starting at or after this are left out: an interval belongs to the period its start
   * falls in, so one starting before `to` is kept though it ends after it (the interval across a
   * Kolkata midnight with 60-minute intervals is the earlier day's, not nobody's).
   */
  readonly to?: Date;
}

/** Floors an instant to the start of its interval (intervals are aligned to UTC). */
export const intervalFloor = (at: Date, minutes: number): Date =>
  new Date(Math.floor(at.getTime() / (minutes * 60_000)) * minutes * 60_000);

/** The interval starts a report's window keeps, as the history stores them. */
export const intervalWindowOf = (window: ReportWindow): IntervalWindow => ({
  ...(window.from !== undefined ? { from: window.from.toISOString() } : {}),
  ...(window.to !== undefined ? { before: window.to.toISOString() } : {}),
});

/** Whether an interval starting at `startMs` is in a window: its start in [from, to). */
const startsIn = (startMs: number, window: ReportWindow): boolean =>
  (window.from === undefined || startMs >= window.from.getTime()) &&
  (window.to === undefined || startMs < window.to.getTime());

/** A history's intervals in a window: those whose start is in it. */
export const keepIntervals = (
  intervals: readonly PublishedInterval[],
  window: ReportWindow,
): PublishedInterval[] => intervals.filter((i) => startsIn(Date.parse(i.start), window));

/**
 * Whether a queue's backlog shows in a window though none of its contacts do: it moved in the
 * window, or tickets carried into the window wait in it.
 */
export const holdsBacklogIn = (steps: readonly BacklogStep[], window: ReportWindow): boolean => {
  let carried = 0;
  for (const step of steps) {
    const start = Date.parse(step.start);
    if (window.to !== undefined && start >= window.to.getTime()) break;
    if (startsIn(start, window)) return true;
    carried = step.backlog;
  }
  return carried > 0;
};

export const integrationReport = async (
  pipeline: StoredTables,
  integration: Integration,
  window: ReportWindow = {},
): Promise<IntegrationReport> => {
  const [queues, views, coverage] = await Promise.all([
    reportedQueues(pipeline, integration, window),
    readViewVerdicts(pipeline.deps, integration.id),
    readCoverage(pipeline.deps, integration.id),
  ]);
  return reportInWindow({ integration, queues, views, coverage }, window);
};

/**
 * Every queue with a history (or only those `named`), with what `window` needs of it (all of it
 * without one): its intervals in the window, none for a queue quiet there, and the backlog carried
 * into it. A history file lists the quiet queues too; `integrationReport` keeps those the window
 * shows.
 */
export const reportedQueues = async (
  pipeline: StoredTables,
  integration: Integration,
  window: ReportWindow = {},
  named?: string,
): Promise<ReportedQueue[]> => {
  const queues: ReportedQueue[] = [];
  await eachReportedQueue(pipeline, integration, window, named, (q) => {
    queues.push(q);
  });
  return queues;
};

/** `reportedQueues`, handed to `visit` one by one in their order, holding only the few in flight. */
export const eachReportedQueue = async (
  pipeline: StoredTables,
  integration: Integration,
  window: ReportWindow,
  named: string | undefined,
  visit: (queue: ReportedQueue) => void,
): Promise<void> => {
  await eachQueueWithBacklog(
    pipeline.deps,
    integration.id,
    {
      ...(window.from !== undefined || window.to !== undefined ? { window: intervalWindowOf(window) } : {}),
      ...(named !== undefined ? { named } : {}),
    },
    ({ id, queue: q, backlogSteps }) =>
      visit({ id, ...q, ...(backlogSteps !== undefined ? { backlogSteps } : {}) }),
  );
};

/**
 * The queues a window shows (`queuesInWindow`), handed to `visit` one by one in their order with
 * their intervals there, as soon as each is read: only a few queues' intervals are held at once,
 * so an account's year of history costs the memory of a few queues, not of all.
 */
export const eachShownQueue = async (
  pipeline: StoredTables,
  integration: Integration,
  window: ReportWindow,
  visit: (queue: ReportedQueue) => void,
): Promise<void> =>
  eachReportedQueue(pipeline, integration, window, undefined, (q) => {
    const [shown] = queuesInWindow([q], window);
    if (shown !== undefined) visit(shown);
  });

/**
 * The queues a window shows, each folded to its totals there: what the summary of `import` and
 * `demo` and the `queues` command print.
 */
export const reportedQueueTotals = async (
  pipeline: StoredTables,
  integration: Integration,
  window: ReportWindow = {},
): Promise<QueueWithTotals[]> => {
  const queues: QueueWithTotals[] = [];
  await eachShownQueue(pipeline, integration, window, (q) => {
    queues.push(withTotals(q));
  });
  return queues;
};

/** What the summary of `import` and `demo` prints: the queues as their totals. */
export interface IntegrationSummary extends Omit<IntegrationReport, 'queues'> {
  readonly queues: QueueWithTotals[];
}

export const integrationSummary = async (
  pipeline: StoredTables,
  integration: Integration,
  window: ReportWindow = {},
): Promise<IntegrationSummary> => {
  const [queues, views, coverage] = await Promise.all([
    reportedQueueTotals(pipeline, integration, window),
    readViewVerdicts(pipeline.deps, integration.id),
    readCoverage(pipeline.deps, integration.id),
  ]);
  return { integration, queues, views, coverage };
};

/**
 * A report of the whole history kept to a window: each queue's intervals in it, and the queues
 * with an interval or a backlog there. A command that needs both reads the history once.
 */
export const reportInWindow = (report: IntegrationReport, window: ReportWindow): IntegrationReport => ({
  ...report,
  queues: queuesInWindow(report.queues, window),
});

/** Each queue's intervals in a window, and the queues with an interval or a backlog there. */
export const queuesInWindow = (queues: readonly ReportedQueue[], window: ReportWindow): ReportedQueue[] =>
  queues
    .map((q) => ({ ...q, intervals: keepIntervals(q.intervals, window) }))
    .filter((q) => q.intervals.length > 0 || holdsBacklogIn(q.backlogSteps ?? [], window));

/** What a list of views with their queues needs: the verdicts, and the published queues' names. */
export interface ViewsWithQueues {
  readonly views: readonly ViewVerdict[];
  readonly queues: readonly { readonly name: string; readonly viewId?: number }[];
}

/** The views and the queues published so far, without reading the histories (`readPublishedQueues`). */
export const viewsWithQueues = async (
  pipeline: StoredTables,
  integration: Integration,
): Promise<ViewsWithQueues> => {
  const [views, queues] = await Promise.all([
    readViewVerdicts(pipeline.deps, integration.id),
    readPublishedQueues(pipeline.deps, integration.id),
  ]);
  return { views, queues };
};

/** The views Zendesk still has, each with its verdict and the queues it published (or why none). */
export const reportedViews = (report: ViewsWithQueues) =>
  report.views
    .filter((v) => !v.deleted)
    .map((v) => {
      const { queues, noQueuesBecause } = viewQueues(report, v);
      return {
        id: v.id,
        title: v.title,
        active: v.active,
        supported: v.supported,
        verdict: v.verdict,
        excluded: v.excluded,
        reasons: [...v.reasons],
        queues,
        ...(noQueuesBecause !== undefined ? { noQueuesBecause } : {}),
      };
    });

/** The `import --json` document: a contract other tools rely on, so fields are listed one by one. */
export const importDocument = (report: IntegrationReport) => ({
  ...importDocumentHead(report),
  queues: report.queues.map(queueDocument),
});

/**
 * The `import --json` document's fields before its queues: the views list each one's queues, so
 * it needs their names only (`IntegrationSummary` has them without their intervals).
 */
export const importDocumentHead = (
  report: Pick<IntegrationReport, 'integration' | 'views' | 'coverage'> & ViewsWithQueues,
) => ({
  integration: {
    name: report.integration.name,
    domain: report.integration.domain,
    groupingStrategy: report.integration.groupingStrategy,
    intervalMinutes: report.integration.intervalMinutes,
    /** Talk's service-level threshold in seconds (the integration's, or the default), fixed once saved. */
    serviceLevelSeconds: serviceLevelSecondsOf(report.integration),
  },
  views: reportedViews(report),
  unmappedChannels: { ...report.coverage.unmappedChannels },
  /** Records left out on their own because they did not fit (`zendesk-wfm quarantined` lists them). */
  quarantined: report.coverage.quarantined,
  /** Ticket creations counted, by where each was counted from (`ticket_events`, `ticket_audits`, `ticket_record`). */
  creationsBySource: { ...report.coverage.creationsBySource },
});

/** A queue as the `--json` documents list it (`import`, `history`). */
export const queueDocument = (q: ReportedQueue) => ({
  id: q.id,
  name: q.name,
  channel: q.channel,
  source: q.source,
  ...(q.viewId !== undefined ? { viewId: q.viewId } : {}),
  intervals: q.intervals.map((i) => ({ ...i })),
});

export interface QueueTotals {
  readonly contacts: number;
  readonly handled: number;
  readonly handleTimeSeconds: number;
  /** Talk only, when something was handled. */
  readonly ahtSeconds?: number;
}

export const queueTotals = (queue: PublishedQueue): QueueTotals => {
  let contacts = 0;
  let handled = 0;
  let handleTimeSeconds = 0;
  for (const i of queue.intervals) {
    contacts += i.contacts;
    handled += i.handled ?? 0;
    handleTimeSeconds += i.handleTimeSeconds ?? 0;
  }
  return {
    contacts,
    handled,
    handleTimeSeconds,
    ...(queue.source === 'talk' && handled > 0 ? { ahtSeconds: handleTimeSeconds / handled } : {}),
  };
};

/** A Support queue's reopens and backlog at the end of a period (`supportTotals`). */
export interface SupportTotals {
  readonly reopens?: number;
  readonly backlogAtEnd?: number;
}

/**
 * A Support queue's reopens over its intervals (absent when one with contacts was recorded before
 * reopens were) and its backlog at the end of its history: the last step's (absent when the history
 * has none, recorded before the backlog). Undefined for a Talk queue.
 */
export const supportTotals = (queue: ReportedQueue): SupportTotals | undefined => {
  if (queue.source !== 'support') return undefined;
  const recorded = queue.intervals.every((i) => i.contacts === 0 || i.support !== undefined);
  const last = queue.backlogSteps?.[queue.backlogSteps.length - 1];
  return {
    ...(recorded ? { reopens: queue.intervals.reduce((n, i) => n + (i.support?.reopens ?? 0), 0) } : {}),
    ...(last !== undefined ? { backlogAtEnd: last.backlog } : {}),
  };
};

/** A queue's figures over a period without its intervals: a row of a totals table or document. */
export interface QueueWithTotals {
  readonly id: string;
  readonly name: string;
  readonly channel: string;
  readonly source: 'support' | 'talk';
  readonly viewId?: number;
  readonly totals: QueueTotals;
  /** Support only (`supportTotals`). */
  readonly support?: SupportTotals;
  /** Talk only: its intervals' Talk figures summed; absent when none recorded them (schema 1). */
  readonly talk?: TalkFigures;
}

export const withTotals = (queue: ReportedQueue): QueueWithTotals => {
  const support = supportTotals(queue);
  const talk =
    queue.source === 'talk'
      ? queue.intervals.reduce<TalkFigures | undefined>(
          (sum, i) => (i.talk ? addTalkFigures(sum, i.talk) : sum),
          undefined,
        )
      : undefined;
  return {
    id: queue.id,
    name: queue.name,
    channel: queue.channel,
    source: queue.source,
    ...(queue.viewId !== undefined ? { viewId: queue.viewId } : {}),
    totals: queueTotals(queue),
    ...(support !== undefined ? { support } : {}),
    ...(talk !== undefined ? { talk } : {}),
  };
};

/** Why a view has produced no queue: the first that applies. */
export type NoQueuesReason = 'unsupported' | 'personal' | 'inactive' | 'excluded' | 'no contacts yet';

/** The queues a view produced (in the report's window), or why it has none. */
export const viewQueues = (
  report: ViewsWithQueues,
  view: ViewVerdict,
): { queues: string[]; noQueuesBecause?: NoQueuesReason } => {
  const queues = report.queues.filter((q) => q.viewId === view.id).map((q) => q.name);
  if (queues.length > 0) return { queues };
  const because: NoQueuesReason =
    view.verdict === 'personal'
      ? 'personal'
      : !view.supported
        ? 'unsupported'
        : !view.active
          ? 'inactive'
          : view.excluded
            ? 'excluded'
            : 'no contacts yet';
  return { queues, noQueuesBecause: because };
};

/** How far an integration's history is complete (see `countedUpTo`). */
export const readCompleteUpTo = (pipeline: StoredTables, integrationId: string): Promise<Date | null> =>
  countedUpTo(pipeline.deps.repos, integrationId);
