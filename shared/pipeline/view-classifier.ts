import { queuesForInteraction, type ClassifiedView } from '../domain/attribution.js';
import { isWfmChannel, type WfmChannel } from '../domain/channels.js';
import { creationChannelOf, isOutboundCallUpdate, stateSkipReason } from '../domain/interactions.js';
import { NO_SUPPORT_FIGURES, supportContribution } from '../domain/counters.js';
import { backlogChannel, backlogMove, isReopen } from '../domain/backlog.js';
import { supportQueue, type SourceQueue } from '../domain/queues.js';
import type { TicketEventRecord, ViewRecord } from '../domain/records.js';
import {
  creationStateFromRecord,
  fillFromRecord,
  hasHistory,
  isCreatedInWindow,
  isSettledBy,
  isWindowReadBy,
} from '../domain/ticket-records.js';
import {
  applyUpdate,
  byUpdateOrder,
  emptyTicketState,
  isNewerThanState,
  keptToApplyLater,
  type TicketState,
} from '../domain/ticket-state.js';
import type { ViewContext } from '../domain/view-conditions.js';
import { classifyView } from '../domain/view-support.js';
import type { Fact, RecordCreationInViewFact, UpdateInViewFact } from '../messages/contacts.js';
import type { CreationVerdict, UpdateVerdict } from '../messages/outcomes.js';
import type { NormalisedUpdate, TicketRecordUpdate, UpdatesMessage } from '../messages/updates.js';
import type { MessageBus } from '../messages/bus.js';
import type { Integration, IntegrationsRepository } from '../store/integrations-repository.js';
import type {
  InteractionsRepository,
  StoredInteraction,
  UpdateLogEntry,
} from '../store/interactions-repository.js';
import type { TicketStateRepository } from '../store/ticket-state-repository.js';
import { eachConcurrently } from '../store/concurrency.js';
import type { StoredView, ViewsRepository } from '../store/views-repository.js';
import type { UsersRepository } from '../store/users-repository.js';
import { ZendeskRequestError } from '../zendesk/errors.js';
import type { PipelineLogger, PipelineSettings, ZendeskFactory } from './deps.js';
import type { Grants } from './grants.js';
import { ZendeskRateLimitedError } from './rate-limited.js';
import type { RateLimited } from '../zendesk/api.js';
import { pageKeyOf } from './page-key.js';
import { creationVerdictOf } from './channel-mapper.js';

/**
 * The view classifier: owns ticket state, view verdicts and view replays.
 *
 * Ticket updates are applied to the stored state in order (replay-safe: an update the state already
 * reflects is skipped and produces nothing), every interaction is counted in each supported active
 * view the ticket satisfies right after it, and each update's coverage outcome is recorded. The
 * contacts are sent BEFORE the state is written: a crash in between redoes the page from the old
 * state and re-sends the same facts, which the aggregator absorbs; the other order would lose them.
 * The page's interactions are stored under its key before the state too, for the same reason.
 *
 * Each interaction is stored with the views it was evaluated against, so a view's replay counts
 * only the interactions classified before the view was live: the aggregator relies on every
 * (update, view) fact being sent once.
 *
 * Updates from the fetch's warm-up before the window build state and count nowhere. A ticket first
 * seen in the middle of its life (created before the warm-up) gets its earlier state from its
 * audits, applied as state only. This stage fetches them because it is the one that
 * knows, in order, whether a ticket's state exists; the fetch stage runs ahead of it and cannot.
 * When those audits hold the ticket's creation inside the window, the export did not deliver it
 * (it would have come before this later update): the creation is counted from its audit then.
 *
 * Ticket records (the tickets export, `ticket_records`) fill the values the events never state
 * (`fillFromRecord`), and, on the pass after the ticket events, count a creation no source has
 * counted from its record once the events have been read past it. Each creation is counted from
 * one source only: the ticket state remembers which (`creation`), and every other source skips it.
 */
/**
 * A ticket's state as the classifier stores it: the domain's state, and the updates of a ticket
 * first seen in the middle of its life that wait for its record (`resolveAwaiting`), in order.
 */
export type StoredTicketState = TicketState & { readonly awaitingRecord?: readonly NormalisedUpdate[] };

export interface ViewClassifierDeps {
  readonly integrations: Pick<IntegrationsRepository, 'get'>;
  readonly views: Pick<ViewsRepository, 'list' | 'put'>;
  readonly ticketState: Pick<
    TicketStateRepository<StoredTicketState>,
    'load' | 'save' | 'loadAudited' | 'saveAudited' | 'clearAudited'
  >;
  readonly interactions: Pick<InteractionsRepository<TicketState>, 'putPage' | 'page' | 'putUpdateLog'>;
  /** Requesters' languages, looked up only when a counted view asks for them. */
  readonly users: Pick<UsersRepository, 'locales'>;
  readonly bus: Pick<MessageBus, 'sendUpdates' | 'sendContacts'>;
  /** Ticket audits, for tickets first seen in the middle of their life. */
  readonly zendesk: ZendeskFactory<'ticketAudits'>;
  readonly logger: PipelineLogger;
  readonly settings: Pick<PipelineSettings, 'replayPageSize' | 'ticketStateWarmUpDays'>;
}

/**
 * The view classifier's AWS actions. Interaction chunks are put one by one, each only if absent
 * (PutItem); its Zendesk client reads the credentials and rewrites a rotated refresh token.
 */
export const VIEW_CLASSIFIER_GRANTS: Grants = {
  consumes: 'updates',
  tables: {
    integrations: ['GetItem'],
    views: ['Query', 'PutItem'],
    // PutItem: each page's claim on the buckets, which tells an instance whether what it holds is current.
    ticketState: ['BatchGetItem', 'BatchWriteItem', 'PutItem', 'Query'],
    interactions: ['Query', 'PutItem'],
    // Requesters' languages, for views on Requester language (locale_id).
    users: ['BatchGetItem'],
  },
  sendsTo: ['updates', 'contacts'],
  secrets: { credentials: 'readAndRotate' },
};

export class AuditsRateLimitedError extends ZendeskRateLimitedError {
  override readonly name = 'AuditsRateLimitedError';
  constructor(ticketId: number, refusal: RateLimited) {
    super(refusal.retryAfterSeconds, `reading the audits of ticket ${ticketId}`, refusal.cause);
  }
}

export const classifyUpdates = async (deps: ViewClassifierDeps, message: UpdatesMessage): Promise<void> => {
  const integration = await deps.integrations.get(message.integrationId);
  if (!integration) {
    deps.logger.warn('updates of an unknown integration dropped', { integrationId: message.integrationId });
    return;
  }
  switch (message.type) {
    case 'views':
      return classifyViews(deps, integration, message.views, message.quarantinedViewIds ?? []);
    case 'ticket_updates':
      return countUpdates(deps, integration, message.pageKey, message.updates);
    case 'ticket_audits':
      return countAuditedTicket(deps, integration, message);
    case 'ticket_records':
      return applyRecords(deps, integration, message.pageKey, message.records, message.eventsReadThrough);
    case 'replay':
      return replayView(deps, integration, message.viewId, message.after);
    case 'run_completed':
      // Behind every contact of the run in contacts.fifo. A view's replay started by this run goes
      // on page by page behind it: its queue's history may still fill in after the run's end.
      return deps.bus.sendContacts({
        version: 2,
        pageKey: message.pageKey,
        integrationId: integration.id,
        facts: [],
        freshness: message.freshness,
      });
  }
};

const sameStoredView = (a: StoredView, b: StoredView): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Whether the pipeline counts in this view: supported (personal views only when included), active, not excluded. */
export const isCounted = (stored: StoredView): boolean =>
  !stored.deleted && stored.supported && stored.view.active && stored.excluded !== true;

/** The view context of an integration: its account's time zone. */
export const viewContextOf = (integration: Integration): ViewContext => ({
  timeZone: integration.timeZone ?? 'UTC',
});

/**
 * Verdicts of the views, with the integration's choices: personal views count only when included
 * (all of them, or one by one), an excluded view keeps its verdict and counts nothing. A view that
 * starts to count (new, or included again) gets its history replayed over the window; each replay
 * has its own keys, so one after an exclusion is not taken for the first.
 */
const classifyViews = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  views: readonly ViewRecord[],
  quarantinedViewIds: readonly number[],
) => {
  const stored = new Map((await deps.views.list(integration.id)).map((v) => [v.view.id, v]));
  const excluded = new Set(integration.excludedViewIds ?? []);
  const included = new Set(integration.includedViewIds ?? []);
  // A view whose record did not fit this time is still in the account: it keeps what is stored.
  const seen = new Set<number>(quarantinedViewIds);
  for (const view of views) {
    seen.add(view.id);
    const verdict = classifyView(view, {
      includePersonal: integration.includePersonalViews === true || included.has(view.id),
    });
    const before = stored.get(view.id);
    const next: StoredView = {
      view,
      supported: verdict.supported,
      reasons: [...verdict.reasons],
      deleted: false,
      verdict: verdict.verdict,
      excluded: excluded.has(view.id),
      ...(before?.replays !== undefined ? { replays: before.replays } : {}),
    };
    // Counted from now on though never counted before: new, included again after an exclusion, a
    // personal view included, or a view the product could not evaluate before and now can.
    const startsCounting =
      isCounted(next) &&
      (!before ||
        before.excluded === true ||
        before.verdict === 'personal' ||
        (!before.supported && before.view.updatedAt === view.updatedAt));
    // A view stored before replays were numbered had its first replay when it was new.
    const replays = before ? Math.max(before.replays ?? 1, 1) + 1 : 1;
    const replayed: StoredView = startsCounting ? { ...next, replays } : next;
    if (before && sameStoredView(before, replayed)) continue;
    await deps.views.put(integration.id, replayed);
    if (startsCounting) {
      // A view new to this integration (or counted again) gets its history over the whole window (SPEC §3).
      await deps.bus.sendUpdates({
        version: 2,
        pageKey: pageKeyOf('replay', integration.id, view.id, replayVersion(replayed), null),
        integrationId: integration.id,
        type: 'replay',
        viewId: view.id,
      });
    }
  }
  for (const before of stored.values()) {
    if (!seen.has(before.view.id) && !before.deleted) {
      await deps.views.put(integration.id, { ...before, deleted: true });
    }
  }
  deps.logger.info('views classified', { integrationId: integration.id, views: views.length });
};

/** What tells one replay of a view from another: its definition, and from the second replay on, its number. */
const replayVersion = (stored: StoredView): string =>
  (stored.replays ?? 1) <= 1 ? stored.view.updatedAt : `${stored.view.updatedAt}#${stored.replays}`;

/**
 * The integration's views as a page uses them: the live ones, which count, and the queue of any
 * stored view by its current title, deleted ones too (a ticket may be in the backlog of a view
 * deleted since it entered).
 */
interface PageViews {
  readonly live: readonly ClassifiedView[];
  readonly queueOf: (viewId: number, channel: WfmChannel) => SourceQueue;
}

const pageViews = async (deps: ViewClassifierDeps, integrationId: string): Promise<PageViews> => {
  const stored = await deps.views.list(integrationId);
  const titles = new Map(stored.map((v) => [v.view.id, v.view.title]));
  return {
    live: stored.filter((v) => !v.deleted).map((v) => ({ view: v.view, supported: isCounted(v) })),
    // A view is never removed from the views table (a deleted one is flagged): only a row removed
    // by hand leaves a queue without its title.
    queueOf: (viewId, channel) =>
      supportQueue({ id: viewId, title: titles.get(viewId) ?? `View ${viewId}` }, channel),
  };
};

const isoOf = (event: TicketEventRecord) => new Date(event.timestamp * 1000).toISOString();

/** Which interaction a fact is about: an update (audit), or a creation counted from the ticket record. */
type InteractionSource =
  | { readonly kind: 'update'; readonly updateId: number }
  | { readonly kind: 'ticket_record'; readonly ticketId: number };

const sourceOf = (i: Pick<StoredInteraction<unknown>, 'updateId' | 'ticketId'>): InteractionSource =>
  i.updateId === null
    ? { kind: 'ticket_record', ticketId: i.ticketId }
    : { kind: 'update', updateId: i.updateId };

/**
 * An update's part in one view's queue: its count there in the interaction's channel (of which a
 * reopen), and the ticket entering or leaving the queue's backlog.
 */
const inViewFact = (
  source: InteractionSource,
  at: string,
  queue: QueuePart['queue'],
  integration: Integration,
  part: Pick<QueuePart, 'contact' | 'support'> = { contact: true, support: NO_SUPPORT_FIGURES },
): UpdateInViewFact | RecordCreationInViewFact => {
  const c = supportContribution(queue.id, at, integration.intervalMinutes, part);
  return {
    ...(source.kind === 'update'
      ? { kind: 'update_in_view' as const, updateId: source.updateId }
      : { kind: 'record_creation_in_view' as const, ticketId: source.ticketId }),
    at,
    contribution: {
      queue: {
        id: queue.id,
        name: queue.name,
        channel: queue.channel,
        source: 'support',
        viewId: queue.viewId,
      },
      intervalStart: c.intervalStart,
      contacts: c.contacts,
      handled: c.handled,
      handleSeconds: c.handleSeconds,
      ...(c.support ? { support: c.support } : {}),
    },
  };
};

/** What one update does in one Support queue. */
interface QueuePart {
  readonly queue: Pick<SourceQueue, 'id' | 'name' | 'channel' | 'viewId'>;
  readonly contact: boolean;
  readonly support: { reopens: number; backlogEntered: number; backlogLeft: number };
}

/**
 * An applied update's Support facts (shared/domain/backlog.ts): its contact in each queue it counts
 * in (`contactQueues`, a reopen when the customer wrote on a solved ticket) and the backlog it
 * moves, one fact per queue; the state it leaves, with the ticket's backlog membership.
 */
const supportFacts = (
  into: PageCount,
  integration: Integration,
  views: PageViews,
  context: ViewContext,
  item: {
    readonly source: InteractionSource;
    readonly at: string;
    readonly verdict: UpdateVerdict;
    readonly statusBefore: string | null | undefined;
    readonly after: TicketState;
    readonly contactQueues: readonly SourceQueue[];
  },
): TicketState => {
  const { verdict, after, at } = item;
  const counted = verdict.kind === 'counted' ? verdict : undefined;
  const channel = backlogChannel(after.backlog, counted?.channel ?? null);
  const queuesNow =
    channel === null
      ? []
      : channel === counted?.channel
        ? item.contactQueues
        : queuesForInteraction(views.live, after, at, channel, context);
  const move = backlogMove(after.backlog, channel, queuesNow, views.queueOf);
  const reopens = counted && isReopen(counted.interaction, item.statusBefore) ? 1 : 0;
  const parts = new Map<string, QueuePart>();
  const partOf = (queue: QueuePart['queue'], contact: boolean) => {
    const part = parts.get(queue.id) ?? {
      queue,
      contact,
      support: { reopens: contact ? reopens : 0, backlogEntered: 0, backlogLeft: 0 },
    };
    parts.set(queue.id, part);
    return part;
  };
  for (const queue of item.contactQueues) partOf(queue, true);
  for (const queue of move.entered) partOf(queue, false).support.backlogEntered += 1;
  for (const queue of move.left) partOf(queue, false).support.backlogLeft += 1;
  for (const part of parts.values())
    into.facts.push(inViewFact(item.source, at, part.queue, integration, part));
  if (move.membership === undefined) return after;
  return { ...after, backlog: move.membership };
};

/** Audit requests of one page in flight at once (they count against the account's rate limit, not the export's). */
const AUDIT_CONCURRENCY = 8;

const hasCreation = (event: TicketEventRecord) => event.children.some((c) => c.kind === 'Create');

/**
 * Where a ticket's audits stop being read: before this update (the first the export brought), or
 * before the end of a past period's window (`id` 0: every audit of earlier seconds).
 */
type UpdatePosition = Pick<TicketEventRecord, 'ticketId' | 'timestamp' | 'id'>;

/** A ticket's state before `first`, and its creation when the audits hold one the export did not deliver. */
interface PriorState {
  readonly state: TicketState | undefined;
  readonly creation?: { readonly audit: TicketEventRecord; readonly after: TicketState };
}

/**
 * State of a ticket just before `first`, rebuilt from its audits on top of what `seed` holds (the
 * values a record filled in). Not counted, except a creation inside the window that the export
 * never delivered: `first` is a later update of the ticket, so the export had its chance. A
 * creation in the same second as `first` is left to the record, which is read after the events.
 */
const priorState = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  first: UpdatePosition,
  seed: TicketState | undefined,
): Promise<PriorState> => {
  const client = await deps.zendesk(integration);
  let audits: Awaited<ReturnType<typeof client.ticketAudits>>;
  try {
    audits = await client.ticketAudits(first.ticketId);
  } catch (error) {
    // A ticket deleted since has no audits any more; its updates are applied from an empty state.
    if (error instanceof ZendeskRequestError && error.status === 404) return { state: seed };
    throw error;
  }
  if (!Array.isArray(audits)) {
    throw new AuditsRateLimitedError(first.ticketId, audits);
  }
  let state = seed;
  let creation: PriorState['creation'];
  for (const audit of [...audits].sort(byUpdateOrder)) {
    const before =
      audit.timestamp < first.timestamp || (audit.timestamp === first.timestamp && audit.id < first.id);
    if (!before) continue;
    state = applyUpdate(state, audit);
    const missedCreation =
      hasCreation(audit) &&
      audit.timestamp < first.timestamp &&
      state.creation === undefined &&
      isCreatedInWindow(audit, integration);
    if (missedCreation) {
      state = { ...state, creation: 'ticket_audits' };
      creation = { audit, after: state };
    }
  }
  return { state, ...(creation ? { creation } : {}) };
};

/**
 * A creation's verdict from its audit (a creation is one whoever made it, no roles needed, unless an
 * agent's outbound call made it).
 */
const creationVerdict = (audit: TicketEventRecord): CreationVerdict =>
  creationVerdictOf(creationChannelOf(audit), isOutboundCallUpdate(audit));

/**
 * The view context of a page: the account's time zone and, when a counted view asks for the
 * requester's language, the languages of these requesters (from their user records).
 */
const contextWithLocales = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  views: readonly ClassifiedView[],
  requesterIds: () => Iterable<number>,
): Promise<ViewContext> => {
  const base = viewContextOf(integration);
  const asksLocale = views.some(
    (v) =>
      v.supported &&
      [...v.view.conditions.all, ...v.view.conditions.any].some((c) => c.field === 'locale_id'),
  );
  if (!asksLocale) return base;
  const locales = await deps.users.locales(integration.id, [...new Set(requesterIds())]);
  return { ...base, localeOf: (userId) => locales.get(userId) ?? null };
};

/** An interaction or update to count, with the ticket's state right after it. */
interface CountItem {
  readonly source: InteractionSource;
  readonly ticketId: number;
  readonly at: string;
  readonly verdict: Exclude<UpdateVerdict, { kind: 'warm_up' }>;
  readonly after: TicketState;
  /** On a creation counted from an update: where the update came from. */
  readonly creation?: 'ticket_events' | 'ticket_audits';
  /** The update (or record) created the ticket, whatever its verdict. */
  readonly creates: boolean;
  readonly authorRole: string | null;
  /** The ticket's status right before the update (a reopen is a customer writing on a solved one). */
  readonly statusBefore?: string | null;
}

/** What one page of work counts: coverage outcomes, view facts and the interactions to store. */
interface PageCount {
  readonly facts: Fact[];
  readonly interactions: StoredInteraction<TicketState>[];
  /** Every update applied (and creation counted), with its verdict and queues: `explain` reads it. */
  readonly log: UpdateLogEntry[];
}

/**
 * Counts one interaction or update: its coverage outcome (with the creation's source on a
 * creation), for an interaction counted in a WFM channel one fact per view the ticket is in right
 * after it, and its line in the update log.
 */
const countOne = (
  into: PageCount,
  integration: Integration,
  views: PageViews,
  context: ViewContext,
  item: CountItem,
): TicketState => {
  const { source, at, verdict, after } = item;
  const queues =
    verdict.kind === 'counted' ? queuesForInteraction(views.live, after, at, verdict.channel, context) : [];
  into.log.push({
    kind: 'classified',
    updateId: source.kind === 'update' ? source.updateId : null,
    ticketId: item.ticketId,
    at,
    verdict,
    creates: item.creates,
    authorRole: item.authorRole,
    queueIds: queues.map((q) => q.id),
  });
  // The verdict is the outcome: it goes on to the aggregator as decided.
  into.facts.push(
    source.kind === 'update'
      ? {
          kind: 'update_outcome',
          updateId: source.updateId,
          at,
          outcome: verdict,
          // Coverage counts the creations counted (or unmapped) by source, not the skipped.
          ...(item.creation !== undefined && verdict.kind !== 'skipped' ? { creation: item.creation } : {}),
        }
      : { kind: 'record_creation_outcome', ticketId: source.ticketId, at, outcome: verdict },
  );
  const next = supportFacts(into, integration, views, context, {
    source,
    at,
    verdict,
    statusBefore: item.statusBefore,
    after,
    contactQueues: queues,
  });
  if (verdict.kind !== 'counted') return next;
  const { channel } = verdict;
  const reopen = isReopen(verdict.interaction, item.statusBefore);
  into.interactions.push({
    updateId: source.kind === 'update' ? source.updateId : null,
    ticketId: item.ticketId,
    createdAt: at,
    channel,
    viaChannel: verdict.viaChannel,
    state: after,
    evaluatedViews: views.live.filter((v) => v.supported && v.view.active).map((v) => v.view.id),
    ...(reopen ? { reopen: true as const } : {}),
  });
  return next;
};

/**
 * Contacts, interactions and the update log before state: once the state says an update was
 * applied, it is never redone.
 */
const writePage = async (
  deps: ViewClassifierDeps,
  integrationId: string,
  pageKey: string,
  counted: PageCount,
) => {
  // They do not depend on each other, so they are written together.
  await Promise.all([
    counted.facts.length > 0
      ? deps.bus.sendContacts({ version: 2, pageKey, integrationId, facts: counted.facts })
      : undefined,
    counted.interactions.length > 0
      ? deps.interactions.putPage(integrationId, pageKey, counted.interactions)
      : undefined,
    counted.log.length > 0 ? deps.interactions.putUpdateLog(integrationId, pageKey, counted.log) : undefined,
  ]);
};

/**
 * Whether a verdict settles its ticket's creation: the creation's contact, or the creation of a
 * ticket an agent's outbound call made, which no other source may count after it.
 */
const isCreationVerdict = (verdict: UpdateVerdict): boolean =>
  ('interaction' in verdict && verdict.interaction === 'creation') ||
  (verdict.kind === 'skipped' && verdict.reason === 'outbound_call');

/**
 * What one page works on: the states as loaded and as changed, and what it counts, in order. The
 * counting waits until every state of the page is known (`countPage`): a state the audits or a
 * record tell can name a requester nothing else on the page names, whose language a view may ask.
 */
interface PageWork {
  readonly integration: Integration;
  readonly views: PageViews;
  readonly states: Map<number, StoredTicketState>;
  readonly changed: Map<number, StoredTicketState>;
  readonly toCount: (
    | { readonly kind: 'count'; readonly item: CountItem }
    | { readonly kind: 'backlog'; readonly item: BacklogItem }
    | { readonly kind: 'log'; readonly entry: UpdateLogEntry }
  )[];
}

/** An update that is no contact here (its creation was counted from another source) but may move the backlog. */
interface BacklogItem {
  readonly source: InteractionSource;
  readonly ticketId: number;
  readonly at: string;
  readonly statusBefore: string | null | undefined;
  readonly after: TicketState;
}

/** A creation counted from the ticket's record, at its creation time, with the state right after it. */
const recordCreation = (
  record: TicketRecordUpdate['record'],
  verdict: TicketRecordUpdate['creation'],
  after: TicketState,
): PageWork['toCount'][number] => ({
  kind: 'count',
  item: {
    source: { kind: 'ticket_record', ticketId: record.id },
    ticketId: record.id,
    at: new Date(Date.parse(record.createdAt)).toISOString(),
    verdict,
    after,
    creates: true,
    authorRole: null,
  },
});

const pageWork = (
  integration: Integration,
  views: PageViews,
  states: Map<number, StoredTicketState>,
): PageWork => ({ integration, views, states, changed: new Map(), toCount: [] });

/**
 * Counts what the page queued, in order, in a view context read for the requesters of every state
 * it evaluates (their languages, when a counted view asks for them). A ticket's backlog membership
 * is carried from each of its counts to the next, since the states were applied before any was
 * counted, and the last is kept with the ticket's state.
 */
const countPage = async (deps: ViewClassifierDeps, work: PageWork): Promise<PageCount> => {
  const context = await contextWithLocales(deps, work.integration, work.views.live, () =>
    work.toCount.flatMap((c) =>
      c.kind !== 'log' && c.item.after.requesterId !== null ? [c.item.after.requesterId] : [],
    ),
  );
  const counted: PageCount = { facts: [], interactions: [], log: [] };
  const membership = new Map<number, TicketState['backlog']>();
  const withMembership = (ticketId: number, after: TicketState): TicketState => {
    if (!membership.has(ticketId)) return after;
    const { backlog: _stale, ...rest } = after;
    const current = membership.get(ticketId);
    return current === undefined ? rest : { ...rest, backlog: current };
  };
  for (const c of work.toCount) {
    if (c.kind === 'log') {
      counted.log.push(c.entry);
      continue;
    }
    const after = withMembership(c.item.ticketId, c.item.after);
    const next =
      c.kind === 'count'
        ? countOne(counted, work.integration, work.views, context, { ...c.item, after })
        : supportFacts(counted, work.integration, work.views, context, {
            source: c.item.source,
            at: c.item.at,
            verdict: { kind: 'skipped', reason: 'agent_reply' },
            statusBefore: c.item.statusBefore,
            after,
            contactQueues: [],
          });
    membership.set(c.item.ticketId, next.backlog);
  }
  for (const [ticketId, backlog] of membership) {
    const state = work.states.get(ticketId);
    if (state === undefined || state.backlog === backlog) continue;
    const { backlog: _stale, ...rest } = state;
    const kept: StoredTicketState = backlog === undefined ? rest : { ...rest, backlog };
    work.states.set(ticketId, kept);
    work.changed.set(ticketId, kept);
  }
  return counted;
};

/** An update's verdict with what its ticket's state says (`stateSkipReason`). */
const stateVerdict = (
  verdict: UpdateVerdict,
  event: TicketEventRecord,
  before: TicketState | undefined,
  after: TicketState,
): UpdateVerdict => {
  if (!('interaction' in verdict)) return verdict;
  const reason = stateSkipReason(verdict.interaction, event, before, after);
  return reason === null ? verdict : { kind: 'skipped', reason };
};

/**
 * Applies updates to their tickets' states in order and counts each by its verdict: a creation
 * another source counted is not counted again, the session a creation awaited is no contact of its
 * own, warm-up updates only build state, and an update the state already reflects is skipped (its
 * facts were sent when it was applied).
 */
const applyAndCount = (
  work: PageWork,
  updates: readonly NormalisedUpdate[],
  source: 'ticket_events' | 'ticket_audits' = 'ticket_events',
) => {
  for (const update of updates) {
    const { event } = update;
    const before = work.states.get(event.ticketId);
    if (before && !isNewerThanState(before, event)) continue; // already applied: its facts were sent then
    let after: StoredTicketState = applyUpdate(before, event);
    const verdict = stateVerdict(update.verdict, event, before, after);
    // A creation another source counted (the record, its audit) is not counted again.
    const isCreation = isCreationVerdict(verdict);
    const countedElsewhere = isCreation && before?.creation !== undefined;
    if (isCreation && !countedElsewhere) after = { ...after, creation: source };
    work.states.set(event.ticketId, after);
    work.changed.set(event.ticketId, after);
    // A creation counted from another source is logged from there, though its backlog still moves;
    // a warm-up update builds state only.
    if (countedElsewhere) {
      work.toCount.push({
        kind: 'backlog',
        item: {
          source: { kind: 'update', updateId: event.id },
          ticketId: event.ticketId,
          at: isoOf(event),
          statusBefore: before?.status,
          after,
        },
      });
      continue;
    }
    if (verdict.kind === 'warm_up') {
      work.toCount.push({
        kind: 'log',
        entry: {
          kind: 'classified',
          updateId: event.id,
          ticketId: event.ticketId,
          at: isoOf(event),
          verdict,
          creates: hasCreation(event),
          authorRole: update.authorRole ?? null,
          queueIds: [],
        },
      });
      continue;
    }
    work.toCount.push({
      kind: 'count',
      item: {
        source: { kind: 'update', updateId: event.id },
        ticketId: event.ticketId,
        at: isoOf(event),
        verdict,
        after,
        ...(isCreation ? { creation: source } : {}),
        creates: hasCreation(event),
        authorRole: update.authorRole ?? null,
        statusBefore: before?.status ?? null,
      },
    });
  }
};

/** A ticket whose state before `first` its audits tell (`priorState`), on top of `seed`. */
interface AuditWant {
  readonly ticketId: number;
  readonly first: UpdatePosition;
  readonly seed: TicketState | undefined;
}

/** What the audits told a page of one ticket, kept across the page's deliveries. */
interface AuditedPrior {
  readonly before: UpdatePosition;
  /** The state and import window it was built on (`seedKeyOf`): a delivery from others asks again. */
  readonly seed: string;
  readonly prior: PriorState;
}

/** The prior states of a page's tickets, and the tickets whose prior an earlier delivery kept. */
interface PagePriors {
  readonly priors: ReadonlyMap<number, PriorState>;
  readonly kept: readonly number[];
}

/** What a prior is built on: the ticket's state, and the import window that decides a creation's count. */
const seedKeyOf = (integration: Integration, seed: TicketState | undefined) =>
  JSON.stringify([seed ?? null, integration.importFrom, integration.importUntil ?? null]);

/**
 * The prior states a page needs, from the audits a few tickets at a time. When a request fails
 * (Zendesk's rate limit, most often) the states already learned are kept with the page before the
 * error goes on, and its next delivery asks only for the rest: each delivery starting again from
 * the first ticket, a page needing more audit requests than one rate-limit window allows never
 * finished, and spent the account's budget on audits it had read already.
 */
const priorsOf = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  pageKey: string,
  wants: readonly AuditWant[],
): Promise<PagePriors> => {
  if (wants.length === 0) return { priors: new Map(), kept: [] };
  const stored = await deps.ticketState.loadAudited<AuditedPrior>(
    integration.id,
    pageKey,
    wants.map((w) => w.ticketId),
  );
  const fromEarlier = new Map<number, PriorState>();
  const ask: AuditWant[] = [];
  for (const want of wants) {
    const kept = stored.get(want.ticketId);
    if (kept && samePosition(kept.before, want.first) && kept.seed === seedKeyOf(integration, want.seed))
      fromEarlier.set(want.ticketId, kept.prior);
    else ask.push(want);
  }
  const learned = new Map<number, AuditedPrior>();
  try {
    await eachConcurrently(ask, AUDIT_CONCURRENCY, async ({ ticketId, first, seed }) => {
      const prior = await priorState(deps, integration, first, seed);
      const before = { ticketId, timestamp: first.timestamp, id: first.id };
      learned.set(ticketId, { before, seed: seedKeyOf(integration, seed), prior });
    });
  } catch (error) {
    if (learned.size > 0) await keepLearned(deps, integration.id, pageKey, learned);
    throw error;
  }
  // In the page's order, not the order the answers came in.
  const priors = new Map(
    wants.map(({ ticketId }) => [ticketId, fromEarlier.get(ticketId) ?? learned.get(ticketId)!.prior]),
  );
  return { priors, kept: [...stored.keys()] };
};

const samePosition = (a: UpdatePosition, b: UpdatePosition) =>
  a.ticketId === b.ticketId && a.timestamp === b.timestamp && a.id === b.id;

/** Keeps what the audits told before a request failed; failing to keep it only costs requests. */
const keepLearned = async (
  deps: ViewClassifierDeps,
  integrationId: string,
  pageKey: string,
  learned: ReadonlyMap<number, AuditedPrior>,
) => {
  try {
    await deps.ticketState.saveAudited(integrationId, pageKey, learned);
    deps.logger.info('audits kept for the next delivery', { integrationId, tickets: learned.size });
  } catch (error) {
    deps.logger.warn('audits could not be kept for the next delivery', {
      integrationId,
      error: (error as Error).message,
    });
  }
};

/**
 * Forgets the priors earlier deliveries kept, once the page is written. The page is done whatever
 * happens here: an item not deleted expires (the table's TTL), and no later delivery of the page
 * would use it (the states it was built on have moved on).
 */
const forgetKept = async (
  deps: ViewClassifierDeps,
  integrationId: string,
  pageKey: string,
  page: PagePriors,
) => {
  if (page.kept.length === 0) return;
  try {
    await deps.ticketState.clearAudited(integrationId, pageKey, page.kept);
  } catch (error) {
    deps.logger.warn('audits kept for a page could not be forgotten; they expire', {
      integrationId,
      tickets: page.kept.length,
      error: (error as Error).message,
    });
  }
};

/** A state the audits told (`priorState`) taken in, and the creation they hold counted. */
const applyPrior = (work: PageWork, ticketId: number, prior: PriorState) => {
  if (!prior.state) return;
  work.states.set(ticketId, prior.state);
  if (!prior.creation) return;
  const { audit, after } = prior.creation;
  // The audits after the creation built state only: the backlog the creation enters is kept with
  // the state (`countPage`), and the next update evaluates it again.
  work.changed.set(ticketId, prior.state);
  work.toCount.push({
    kind: 'count',
    item: {
      source: { kind: 'update', updateId: audit.id },
      ticketId,
      at: isoOf(audit),
      verdict: creationVerdict(audit),
      after,
      creation: 'ticket_audits',
      creates: true,
      authorRole: null,
    },
  });
};

/** The ticket's state without the updates waiting with it. */
const valuesOf = (state: StoredTicketState | undefined): TicketState | undefined => {
  if (state?.awaitingRecord === undefined) return state;
  const { awaitingRecord: _awaiting, ...values } = state;
  return values;
};

/**
 * Whether a ticket first seen in the middle of its life waits for its record instead of asking
 * the Audits API: on every run that reads the ticket records after the events. An import of a past
 * period does not (its events end before the records it reads were last updated, so no record
 * would ever settle them).
 */
const waitsForRecords = (integration: Integration): boolean => integration.importUntil === undefined;

const countUpdates = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  pageKey: string,
  updates: readonly NormalisedUpdate[],
) => {
  const ticketIds = [...new Set(updates.map((u) => u.event.ticketId))];
  const [views, loaded] = await Promise.all([
    pageViews(deps, integration.id),
    deps.ticketState.load(integration.id, ticketIds),
  ]);
  const states = new Map<number, StoredTicketState>(loaded.states);
  const firstOf = new Map<number, TicketEventRecord>();
  for (const u of updates) if (!firstOf.has(u.event.ticketId)) firstOf.set(u.event.ticketId, u.event);
  const awaiting = (id: number) => states.get(id)?.awaitingRecord !== undefined;
  // A state holding only the values a record filled in has no history: something else must tell it.
  const unknown = ticketIds.filter(
    (id) => !awaiting(id) && !hasHistory(states.get(id)) && !hasCreation(firstOf.get(id)!),
  );
  const waiting = new Set([...ticketIds.filter(awaiting), ...(waitsForRecords(integration) ? unknown : [])]);
  const work = pageWork(integration, views, states);
  // Tickets whose earlier history is unknown wait for their record with their updates
  // (`resolveAwaiting`), unless too many have piled up: then, and on a past period's import, the
  // Audits API tells their state now.
  const fromAudits = new Map<number, NormalisedUpdate[]>();
  for (const id of waiting) {
    const state: StoredTicketState = states.get(id) ?? emptyTicketState(id);
    const known = state.awaitingRecord ?? [];
    const fresh = updates.filter(
      (u) =>
        u.event.ticketId === id &&
        !known.some((k) => k.event.id === u.event.id) &&
        (known.length > 0 || !hasHistory(state) || isNewerThanState(state, u.event)),
    );
    const all = [...known, ...fresh];
    if (all.length > MAX_AWAITING_UPDATES) {
      fromAudits.set(id, all);
      states.set(id, valuesOf(state) ?? emptyTicketState(id));
      continue;
    }
    const next: StoredTicketState = {
      ...state,
      awaitingRecord: all.map((u) => {
        const event = keptToApplyLater(u.event);
        return event === u.event ? u : { ...u, event };
      }),
    };
    states.set(id, next);
    work.changed.set(id, next);
  }
  for (const id of waitsForRecords(integration) ? [] : unknown)
    fromAudits.set(
      id,
      updates.filter((u) => u.event.ticketId === id),
    );
  // Each ticket's audits are one request of their own: a few in flight hide the round trips.
  const audited = await priorsOf(
    deps,
    integration,
    pageKey,
    [...fromAudits].map(([ticketId, waited]) => ({
      ticketId,
      first: waited[0]!.event,
      seed: valuesOf(work.states.get(ticketId)),
    })),
  );
  for (const [ticketId, prior] of audited.priors) applyPrior(work, ticketId, prior);
  applyAndCount(work, [
    ...[...fromAudits.values()].flat(),
    ...updates.filter((u) => !waiting.has(u.event.ticketId)),
  ]);

  const counted = await countPage(deps, work);
  await writePage(deps, integration.id, pageKey, counted);
  await deps.ticketState.save(loaded, work.changed);
  await forgetKept(deps, integration.id, pageKey, audited);
  deps.logger.info('ticket updates classified', {
    integrationId: integration.id,
    updates: updates.length,
    applied: work.changed.size,
    interactions: counted.interactions.length,
    ...(waiting.size > 0 ? { awaitingRecord: waiting.size - fromAudits.size } : {}),
  });
};

/**
 * A webhook's ticket read now: its audits applied to its state and counted as the export's events
 * would be, its creation counted from its audit. Exactly once: each update newer than the state is
 * applied and counted here, and the state then reflects it, so the export's copy of it is skipped
 * (`applyAndCount`), as is its record's creation (`creation` is set).
 *
 * A ticket the state knows no history of is read from its creation on, with the record's values
 * for what its creation does not state, as the tickets pass gives them before the events. One whose
 * updates wait for their record is left to the export and the records, which will resolve it; so is
 * one whose audits do not start with its creation, and a new one read without its record.
 */
const countAuditedTicket = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  message: Extract<UpdatesMessage, { type: 'ticket_audits' }>,
) => {
  const { ticketId, updates, record } = message;
  const [views, loaded] = await Promise.all([
    pageViews(deps, integration.id),
    deps.ticketState.load(integration.id, [ticketId]),
  ]);
  const states = new Map<number, StoredTicketState>(loaded.states);
  const stored = states.get(ticketId);
  const left = (reason: string) =>
    deps.logger.info('ticket read now left to the export', {
      integrationId: integration.id,
      ticketId,
      reason,
    });
  // Before the first import has read the views, its state would move into no view's backlog, and a
  // view's replay later counts the contact but cannot tell the backlog: the export, behind the
  // views page in the integration's group, counts both.
  if (views.live.length === 0) return left('the views are not read yet');
  if (stored?.awaitingRecord !== undefined) return left('its updates wait for its record');
  if (!hasHistory(stored)) {
    const first = updates[0];
    if (first === undefined || !hasCreation(first.event))
      return left('its audits do not start with its creation');
    // Its creation is evaluated once: without the values only the record gives, it could be
    // counted in the wrong queues for good.
    if (record === null) return left('Zendesk showed no record of it');
    const seed = fillFromRecord(stored, record);
    if (seed !== undefined) states.set(ticketId, seed);
  }
  const work = pageWork(integration, views, states);
  applyAndCount(work, updates, 'ticket_audits');
  if (work.changed.size === 0) return; // every audit applied already (the export was first)
  const counted = await countPage(deps, work);
  await writePage(deps, integration.id, message.pageKey, counted);
  await deps.ticketState.save(loaded, work.changed);
  deps.logger.info('ticket read now classified', {
    integrationId: integration.id,
    ticketId,
    applied: counted.log.length,
    interactions: counted.interactions.length,
  });
};

/** More updates than this waiting with one ticket, and its state is asked of the Audits API instead. */
const MAX_AWAITING_UPDATES = 100;

/**
 * The state right after a waiting ticket's creation, from its settled record rolled back through
 * the waiting updates; undefined when the record cannot tell it (created before the export's start,
 * or an update without a field's earlier value): the audits tell it then.
 */
const creationFromRecord = (
  deps: ViewClassifierDeps,
  integration: Integration,
  record: TicketRecordUpdate['record'],
  waited: readonly NormalisedUpdate[],
): TicketState | undefined => {
  const exportStart =
    Date.parse(integration.importFrom) / 1000 - deps.settings.ticketStateWarmUpDays * 86_400;
  if (Date.parse(record.createdAt) / 1000 < exportStart) return undefined;
  return creationStateFromRecord(
    record,
    waited.map((u) => u.event),
  );
};

/**
 * A ticket that waited for its record, resolved by its settled record: when its creation lies in
 * the range the ticket-event export covers (so the export had its chance to deliver it), its state
 * right after the creation is the record rolled back through the waiting updates
 * (`creationStateFromRecord`, no request), and a creation inside the window no source counted is
 * counted from the record; otherwise (a ticket created before the export's start, or an update that
 * did not say a field's earlier value) the Audits API tells the state. Then the waiting updates are
 * applied and counted in order.
 */
const resolveAwaiting = (
  work: PageWork,
  { record, creation }: TicketRecordUpdate,
  waited: readonly NormalisedUpdate[],
  atCreation: TicketState | undefined,
  prior: PriorState | undefined,
) => {
  const id = record.id;
  const values = valuesOf(work.states.get(id));
  work.states.set(id, values ?? emptyTicketState(id));
  if (atCreation === undefined) {
    if (prior) applyPrior(work, id, prior);
  } else if (isCreatedInWindow(record, work.integration) && values?.creation === undefined) {
    work.states.set(id, atCreation);
    work.toCount.push(recordCreation(record, creation, atCreation));
  } else {
    // Created before the window (in the warm-up), or counted already: its state, not a contact.
    const { creation: _fromRecord, ...uncounted } = atCreation;
    work.states.set(
      id,
      values?.creation !== undefined ? { ...uncounted, creation: values.creation } : uncounted,
    );
  }
  work.changed.set(id, work.states.get(id)!);
  applyAndCount(work, waited);
};

/**
 * A creation inside a past period's window that the events never delivered, counted once they are
 * read to the window's end: from its audit, the state being the audits up to that end (`prior`;
 * the record shows the ticket as it is now, after the window). A ticket deleted since has no
 * audits: its record is all there is, and the creation is counted from it.
 */
const pastCreation = (work: PageWork, { record, creation }: TicketRecordUpdate, prior: PriorState) => {
  const id = record.id;
  applyPrior(work, id, prior);
  if (work.states.get(id)?.creation !== undefined) return;
  const after = creationStateFromRecord(record)!;
  work.states.set(id, after);
  work.changed.set(id, after);
  work.toCount.push(recordCreation(record, creation, after));
};

/** Where a past period's audits stop being read: every audit of the window (`id` 0, its end's second excluded). */
const windowEndPosition = (ticketId: number, windowEnd: number): UpdatePosition => ({
  ticketId,
  timestamp: windowEnd,
  id: 0,
});

/**
 * Ticket records: the values the events never state are filled in (`fillFromRecord`), and on the
 * pass after the ticket events (`eventsReadThrough` given), once a record is settled
 * (`isSettledBy`): a ticket waiting for its record is resolved (`resolveAwaiting`), and a creation
 * inside the window that no source has counted is counted from its record. An unsettled record is
 * left as it is: the fetch holds its page, which comes again.
 *
 * The state a record-counted creation without waiting updates is evaluated with: when the export
 * brought nothing of the ticket, the record itself (`creationStateFromRecord`: no update changed it
 * since, as far as the export knows); when it brought later updates but the audits could not tell
 * the creation (a ticket deleted since, on a past period's import), the state those updates built.
 *
 * Its facts name the ticket (`record_creation_outcome`, `record_creation_in_view`), and are sent
 * once: the state records `creation: 'ticket_record'` after they are sent, so every later page,
 * pass or run skips the ticket; a retry of this page before its state is saved sends the same
 * facts under the same page key, which the aggregator's marker absorbs.
 */
const applyRecords = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  pageKey: string,
  records: readonly TicketRecordUpdate[],
  eventsReadThrough: number | undefined,
) => {
  const ticketIds = [...new Set(records.map((r) => r.record.id))];
  const [views, loaded] = await Promise.all([
    pageViews(deps, integration.id),
    deps.ticketState.load(integration.id, ticketIds),
  ]);
  const states = new Map<number, StoredTicketState>(loaded.states);
  const settledNow = (record: TicketRecordUpdate['record']) =>
    eventsReadThrough !== undefined && isSettledBy(record, eventsReadThrough);
  // A past period's import: once the events are read to the window's end, a creation in the window
  // they never delivered will not come any more, but its record (updated since) never settles.
  const windowEnd =
    integration.importUntil === undefined
      ? undefined
      : Math.floor(Date.parse(integration.importUntil) / 1000);
  const windowRead = eventsReadThrough !== undefined && isWindowReadBy(integration, eventsReadThrough);
  const work = pageWork(integration, views, states);
  const isPastCreation = (record: TicketRecordUpdate['record']) =>
    windowRead &&
    !settledNow(record) &&
    states.get(record.id)?.creation === undefined &&
    isCreatedInWindow(record, integration);
  // The audits the page needs, read a few at a time before anything is counted: a 429 then costs
  // the page one redelivery, not one per ticket.
  const fromRecord = new Map<number, TicketState | undefined>();
  const needAudits: AuditWant[] = [];
  /** Past creations asked of the audits, with the state they were asked on. */
  const askedForPast = new Map<number, string>();
  for (const { record } of records) {
    if (needAudits.some((w) => w.ticketId === record.id) || fromRecord.has(record.id)) continue;
    if (isPastCreation(record)) {
      const seed = valuesOf(states.get(record.id));
      askedForPast.set(record.id, seedKeyOf(integration, seed));
      needAudits.push({ ticketId: record.id, first: windowEndPosition(record.id, windowEnd!), seed });
      continue;
    }
    const waited = states.get(record.id)?.awaitingRecord;
    if (!settledNow(record) || waited === undefined) continue;
    const atCreation = creationFromRecord(deps, integration, record, waited);
    fromRecord.set(record.id, atCreation);
    if (atCreation === undefined)
      needAudits.push({
        ticketId: record.id,
        first: waited[0]!.event,
        seed: valuesOf(fillFromRecord(states.get(record.id), record)),
      });
  }
  const audited = await priorsOf(deps, integration, pageKey, needAudits);
  let creations = 0;
  for (const update of records) {
    const { record, creation } = update;
    const settled = settledNow(record);
    if (eventsReadThrough !== undefined && !settled) {
      if (isPastCreation(record)) {
        // Asked before the loop, unless an earlier record of the same ticket on this page changed
        // the state the audits are read on.
        const seed = valuesOf(states.get(record.id));
        const prior =
          askedForPast.get(record.id) === seedKeyOf(integration, seed)
            ? audited.priors.get(record.id)!
            : await priorState(deps, integration, windowEndPosition(record.id, windowEnd!), seed);
        pastCreation(work, update, prior);
        creations += 1;
      }
      continue;
    }
    const before = states.get(record.id);
    const filled = fillFromRecord(before, record);
    const waited = before?.awaitingRecord;
    if (settled && waited !== undefined) {
      if (filled !== undefined) states.set(record.id, filled);
      resolveAwaiting(work, update, waited, fromRecord.get(record.id), audited.priors.get(record.id));
      continue;
    }
    let next = filled;
    if (settled && isCreatedInWindow(record, integration) && next?.creation === undefined) {
      const after = hasHistory(next)
        ? { ...next, creation: 'ticket_record' as const }
        : creationStateFromRecord(record)!;
      creations += 1;
      work.toCount.push(recordCreation(record, creation, after));
      next = after;
    }
    if (next !== undefined && next !== before) {
      states.set(record.id, next);
      work.changed.set(record.id, next);
    }
  }
  await writePage(deps, integration.id, pageKey, await countPage(deps, work));
  if (work.changed.size > 0) await deps.ticketState.save(loaded, work.changed);
  await forgetKept(deps, integration.id, pageKey, audited);
  deps.logger.info('ticket records applied', {
    integrationId: integration.id,
    records: records.length,
    changed: work.changed.size,
    creations,
  });
};

const replayView = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  viewId: number,
  after: string | undefined,
) => {
  const stored = (await deps.views.list(integration.id)).find((v) => v.view.id === viewId);
  if (!stored || !isCounted(stored)) return;
  const page = await deps.interactions.page(integration.id, after, deps.settings.replayPageSize);
  const classified: ClassifiedView[] = [{ view: stored.view, supported: true }];
  const context = await contextWithLocales(deps, integration, classified, () =>
    page.interactions.flatMap((i) => (i.state.requesterId !== null ? [i.state.requesterId] : [])),
  );
  // An interaction classified while this view was live was counted in it then.
  const facts: Fact[] = [];
  const log: UpdateLogEntry[] = [];
  for (const i of page.interactions) {
    if (!isWfmChannel(i.channel) || i.evaluatedViews.includes(viewId)) continue;
    const queues = queuesForInteraction(classified, i.state, i.createdAt, i.channel, context);
    if (queues.length === 0) continue;
    // A replay counts contacts and reopens; the backlog it cannot tell (only interactions are stored).
    const support = { ...NO_SUPPORT_FIGURES, reopens: i.reopen ? 1 : 0 };
    for (const queue of queues)
      facts.push(inViewFact(sourceOf(i), i.createdAt, queue, integration, { contact: true, support }));
    log.push({
      kind: 'replayed',
      updateId: i.updateId,
      ticketId: i.ticketId,
      at: i.createdAt,
      viewId,
      queueIds: queues.map((q) => q.id),
    });
  }
  const key = (from: string | undefined) =>
    pageKeyOf('replay', integration.id, viewId, replayVersion(stored), from ?? null);
  if (facts.length > 0) {
    const pageKey = key(after);
    await Promise.all([
      deps.bus.sendContacts({ version: 2, pageKey, integrationId: integration.id, facts }),
      deps.interactions.putUpdateLog(integration.id, pageKey, log),
    ]);
  }
  if (page.next) {
    await deps.bus.sendUpdates({
      version: 2,
      pageKey: key(page.next),
      integrationId: integration.id,
      type: 'replay',
      viewId,
      after: page.next,
    });
  }
  deps.logger.info('view replayed', {
    integrationId: integration.id,
    viewId,
    interactions: page.interactions.length,
  });
};
