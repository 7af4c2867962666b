/**
 * Reads an integration's published queue histories back, in the shape the sandbox's
 * `expectedQueues` uses, so the CLI's `--json` and the end-to-end tests compare like with like:
 * queues sorted by name (then view id), intervals in time order, only intervals with contacts (a
 * Support queue whose history holds backlog moves and no contact is listed with none);
 * Support intervals carry contacts only, Talk intervals handled count, handle time and AHT (when
 * something was handled), and Talk's figures (abandoned by where, unknown statuses, callbacks, the
 * sums service level and speed of answer are made of) with service level % and ASA derived from
 * them (each only when its denominator is not 0). A Talk interval last written by schema 1 has no
 * figures (`talk` absent): they were not recorded. Support intervals carry Support's figures (reopens,
 * tickets that entered and left the backlog) and the backlog at the interval's end, derived from
 * every stored interval of the queue up to it (intervals without contacts included); an interval
 * last written before schema 3 has neither (`readQueuesWithBacklog` adds each Support queue's backlog
 * at the end of every stored interval, quiet ones included). A Support queue's name follows its
 * view's current title.
 */
import { isWfmChannel } from '../domain/channels.js';
import {
  asaSeconds,
  backlogLevels,
  serviceLevelPercent,
  type SupportFigures,
  type TalkFigures,
} from '../domain/counters.js';
import type { BacklogStep } from '../domain/queue-series.js';
import type { QueueRef } from '../messages/contacts.js';
import { supportQueue } from '../domain/queues.js';
import type { CoverageRepository } from '../store/coverage-repository.js';
import type { QuarantineRepository } from '../store/quarantine-repository.js';
import type { QueueCatalogRepository } from '../store/queue-catalog-repository.js';
import type {
  BacklogSources,
  IntervalWindow,
  QueueHistoryRepository,
  QueueInterval,
} from '../store/queue-history-repository.js';
import type { StoredView, ViewsRepository } from '../store/views-repository.js';
import { eachConcurrently, eachInOrder } from '../store/concurrency.js';
import { coverageReport, type CoverageReport } from './coverage.js';

export interface ReadbackDeps {
  readonly catalog: Pick<QueueCatalogRepository, 'list' | 'hasMarks'>;
  readonly views: Pick<ViewsRepository, 'list'>;
  readonly queueHistory: Pick<
    QueueHistoryRepository,
    'intervals' | 'intervalsIn' | 'hasContactOrMove' | 'hasSupportFigures'
  >;
  readonly coverage: Pick<CoverageRepository, 'list'>;
  readonly quarantine: Pick<QuarantineRepository, 'list'>;
}

export interface PublishedInterval {
  readonly start: string;
  readonly contacts: number;
  readonly handled?: number;
  readonly handleTimeSeconds?: number;
  readonly ahtSeconds?: number;
  /** Talk only: the interval's sums (shared/domain/counters.ts `TalkFigures`). */
  readonly talk?: TalkFigures;
  /** Talk only: answered within the threshold over offered to service level, in percent. */
  readonly serviceLevelPercent?: number;
  /** Talk only: average speed of answer (seconds). */
  readonly asaSeconds?: number;
  /** Support only: the interval's sums (shared/domain/counters.ts `SupportFigures`). */
  readonly support?: SupportFigures;
  /** Support only: tickets in the queue's backlog at the interval's end. */
  readonly backlog?: number;
}

export interface PublishedQueue {
  readonly name: string;
  readonly channel: string;
  readonly source: 'support' | 'talk';
  readonly viewId?: number;
  readonly intervals: PublishedInterval[];
}

const talkFiguresOut = (talk: TalkFigures) => {
  const sl = serviceLevelPercent(talk);
  const asa = asaSeconds(talk);
  return {
    talk,
    ...(sl !== undefined ? { serviceLevelPercent: sl } : {}),
    ...(asa !== undefined ? { asaSeconds: asa } : {}),
  };
};

/**
 * A published queue with its backlog steps: the backlog at the end of every stored interval that
 * has Support's figures, contacts or not, in time order. The queue's intervals list only those
 * with contacts, but a backlog also moves in quiet intervals (a ticket solved at night), so a
 * reader that wants the backlog at any moment (an export's hour, the end of a period) reads it
 * from the steps. Absent for Talk, and for a history recorded before schema 3.
 */
export interface QueueWithBacklog {
  /** The queue's stored id (its catalog entry's), which the published form does not carry. */
  readonly id: string;
  readonly queue: PublishedQueue;
  readonly backlogSteps?: readonly BacklogStep[];
}

/** Queue histories read at once: a few hundred queues one after another made every report slow. */
const HISTORY_READS_IN_FLIGHT = 8;

/**
 * The published queues as `readQueueHistories` lists them, each with its backlog steps. A queue is
 * published once its history holds a contact, or, for Support, a ticket that entered or left its
 * backlog: a view that tickets reach only through agents' updates (pending, escalated) has a
 * backlog to staff for and no contact, and its `intervals` are then empty.
 *
 * Given a `window`, only what the window needs is read (`QueueHistoryRepository.intervalsIn`): a
 * queue's `intervals` are those starting in it, and its backlog steps those in it and, before it,
 * those where the backlog moved, so the backlog carried into the window is the same as from the
 * whole history. The same queues are listed as without a window (a planner's file of a quiet
 * period still has its queues), their intervals empty when they had no contact in it.
 * Given a queue's name (`named`, any case), only the queues of that name are read.
 */
export const readQueuesWithBacklog = async (
  deps: Pick<ReadbackDeps, 'catalog' | 'views' | 'queueHistory'>,
  integrationId: string,
  selection: QueueSelection = {},
): Promise<QueueWithBacklog[]> => {
  const queues: QueueWithBacklog[] = [];
  await eachQueueWithBacklog(deps, integrationId, selection, (entry) => {
    queues.push(entry);
  });
  return queues;
};

/**
 * The queues `readQueuesWithBacklog` lists, in its order, handed to `visit` one by one as they
 * are read: only the few in flight are held, so a reader that folds each queue into a figure (a
 * digest, a total) holds no whole history however long it is.
 */
export const eachQueueWithBacklog = async (
  deps: Pick<ReadbackDeps, 'catalog' | 'views' | 'queueHistory'>,
  integrationId: string,
  { window, named }: QueueSelection,
  visit: (entry: QueueWithBacklog) => void | Promise<void>,
): Promise<void> => {
  const [catalog, views, marked] = await Promise.all([
    deps.catalog.list(integrationId),
    deps.views.list(integrationId),
    window !== undefined && deps.catalog.hasMarks(integrationId),
  ]);
  // Where a window looks for the backlog carried into it (see `BacklogSources`).
  const backlogIn = (queue: QueueRef): BacklogSources =>
    queue.source === 'talk' ? 'none' : marked ? 'days' : 'days and items';
  const nameOf = queueNames(views);
  const wanted = named?.trim().toLowerCase();
  const chosen = byName(
    (wanted === undefined
      ? catalog
      : catalog.filter(({ queue }) => nameOf(queue).toLowerCase() === wanted)
    ).map(({ queue }) => ({ name: nameOf(queue), viewId: queue.viewId, queue })),
  );
  // Each queue's stored items are turned into its published form as soon as they are read, so only
  // the few in flight are held at once: a year of an account's intervals is hundreds of thousands.
  const publish = async (
    queue: QueueRef,
    stored: readonly QueueInterval[],
  ): Promise<QueueWithBacklog | undefined> => {
    const levels = backlogLevels(stored);
    const from = window?.from;
    const intervals = stored
      .map((i, n) => ({ i, backlog: levels[n]! }))
      .filter(({ i }) => i.contacts > 0 && (from === undefined || i.intervalStart >= from))
      .map(({ i, backlog }): PublishedInterval =>
        queue.source === 'talk'
          ? {
              start: i.intervalStart,
              contacts: i.contacts,
              handled: i.handled,
              handleTimeSeconds: i.handleSeconds,
              ...(i.ahtSeconds !== undefined ? { ahtSeconds: i.ahtSeconds } : {}),
              ...(i.talk !== undefined ? talkFiguresOut(i.talk) : {}),
            }
          : {
              start: i.intervalStart,
              contacts: i.contacts,
              ...(i.support !== undefined ? { support: i.support, backlog } : {}),
            },
      );
    const movedBacklog = stored.some(
      (i) => (i.support?.backlogEntered ?? 0) > 0 || (i.support?.backlogLeft ?? 0) > 0,
    );
    const listed =
      intervals.length > 0 ||
      (queue.source === 'support' && movedBacklog) ||
      (window !== undefined && (await deps.queueHistory.hasContactOrMove(integrationId, queue.id)));
    if (!listed) return undefined;
    const backlogSteps = stored.flatMap((i, n): BacklogStep[] =>
      i.support !== undefined ? [{ start: i.intervalStart, backlog: levels[n]! }] : [],
    );
    // A window can read no step of a queue whose history has Support's figures (its first contact
    // after the window): it has them all the same, with no ticket waiting until the window's end.
    const recorded =
      queue.source === 'support' &&
      (backlogSteps.length > 0 ||
        (window !== undefined && (await deps.queueHistory.hasSupportFigures(integrationId, queue.id))));
    return {
      id: queue.id,
      queue: {
        name: nameOf(queue),
        channel: queue.channel,
        source: queue.source,
        ...(queue.viewId !== undefined ? { viewId: queue.viewId } : {}),
        intervals,
      },
      ...(recorded ? { backlogSteps } : {}),
    };
  };
  await eachInOrder(
    chosen,
    HISTORY_READS_IN_FLIGHT,
    async ({ queue }) =>
      publish(
        queue,
        window === undefined
          ? await deps.queueHistory.intervals(integrationId, queue.id)
          : await deps.queueHistory.intervalsIn(integrationId, queue.id, window, backlogIn(queue)),
      ),
    async (entry) => {
      if (entry !== undefined) await visit(entry);
    },
  );
};

/** A published queue without its history. */
export type PublishedQueueRef = Omit<PublishedQueue, 'intervals'>;

/**
 * The queues `readQueuesWithBacklog` lists, in its order, without their histories: each queue's
 * items are read only until its first contact or backlog move. What a list of views with their
 * queues needs (`views`, the console's views page), where reading every interval took seconds.
 */
export const readPublishedQueues = async (
  deps: Pick<ReadbackDeps, 'catalog' | 'views' | 'queueHistory'>,
  integrationId: string,
): Promise<PublishedQueueRef[]> => {
  const [catalog, views] = await Promise.all([
    deps.catalog.list(integrationId),
    deps.views.list(integrationId),
  ]);
  const nameOf = queueNames(views);
  const published = new Set<string>();
  await eachConcurrently(catalog, HISTORY_READS_IN_FLIGHT, async ({ queue }) => {
    if (await deps.queueHistory.hasContactOrMove(integrationId, queue.id)) published.add(queue.id);
  });
  return byName(
    catalog
      .filter(({ queue }) => published.has(queue.id))
      .map(({ queue }) => ({
        name: nameOf(queue),
        channel: queue.channel,
        source: queue.source,
        ...(queue.viewId !== undefined ? { viewId: queue.viewId } : {}),
      })),
  );
};

/**
 * Every catalogued queue's published name by its id, without reading any history: what a reader
 * that only names queues needs (`explain --ticket`), where the whole history took seconds.
 */
export const readQueueNames = async (
  deps: Pick<ReadbackDeps, 'catalog' | 'views'>,
  integrationId: string,
): Promise<ReadonlyMap<string, string>> => {
  const [catalog, views] = await Promise.all([
    deps.catalog.list(integrationId),
    deps.views.list(integrationId),
  ]);
  const nameOf = queueNames(views);
  return new Map(catalog.map(({ queue }) => [queue.id, nameOf(queue)]));
};

/** A queue's published name: a Support queue's follows its view's current title. */
const queueNames = (views: readonly StoredView[]) => {
  const titles = new Map(views.map((v) => [v.view.id, v.view]));
  return (queue: QueueRef): string => {
    const view = queue.viewId !== undefined ? titles.get(queue.viewId) : undefined;
    return view && isWfmChannel(queue.channel) ? supportQueue(view, queue.channel).name : queue.name;
  };
};

/** Queues sorted by name, then view id. */
const byName = <Q extends { readonly name: string; readonly viewId?: number }>(queues: Q[]): Q[] =>
  queues.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.viewId ?? 0) - (b.viewId ?? 0)));

/** Which queues `readQueuesWithBacklog` reads, and how much of each. */
export interface QueueSelection {
  /** Only what this window needs (see `readQueuesWithBacklog`); the whole history without one. */
  readonly window?: IntervalWindow;
  /** Only the queues of this name (any case); every queue without one. */
  readonly named?: string;
}

export const readQueueHistories = async (
  deps: Pick<ReadbackDeps, 'catalog' | 'views' | 'queueHistory'>,
  integrationId: string,
): Promise<PublishedQueue[]> => (await readQueuesWithBacklog(deps, integrationId)).map(({ queue }) => queue);

export interface ViewVerdict {
  readonly id: number;
  readonly title: string;
  readonly active: boolean;
  readonly supported: boolean;
  /** supported / unsupported / personal (a view restricted to one user, counted only when included). */
  readonly verdict: 'supported' | 'unsupported' | 'personal';
  /** The user excluded it from the queues: it keeps its verdict and counts nothing. */
  readonly excluded: boolean;
  readonly reasons: readonly string[];
  readonly deleted: boolean;
}

/** Every view with its verdict and reasons (SPEC §3: no view is dropped silently). */
export const readViewVerdicts = async (
  deps: Pick<ReadbackDeps, 'views'>,
  integrationId: string,
): Promise<ViewVerdict[]> =>
  (await deps.views.list(integrationId)).map((v) => ({
    id: v.view.id,
    title: v.view.title,
    active: v.view.active,
    supported: v.supported,
    verdict: v.verdict ?? (v.supported ? 'supported' : 'unsupported'),
    excluded: v.excluded === true,
    reasons: v.reasons,
    deleted: v.deleted,
  }));

export const readCoverage = async (
  deps: Pick<ReadbackDeps, 'coverage' | 'views' | 'quarantine'>,
  integrationId: string,
): Promise<CoverageReport> => {
  const [counters, views, quarantined] = await Promise.all([
    deps.coverage.list(integrationId),
    deps.views.list(integrationId),
    deps.quarantine.list(integrationId),
  ]);
  return coverageReport(counters, views, quarantined);
};
