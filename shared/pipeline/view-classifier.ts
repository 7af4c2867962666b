import { queuesForInteraction, type ClassifiedView } from '../domain/attribution.js';
import { isWfmChannel } from '../domain/channels.js';
import { isCreationSession } from '../domain/interactions.js';
import { supportContribution } from '../domain/counters.js';
import type { SourceQueue } from '../domain/queues.js';
import type { TicketEventRecord, ViewRecord } from '../domain/records.js';
import { applyUpdate, isNewerThanState, type TicketState } from '../domain/ticket-state.js';
import type { ViewContext } from '../domain/view-conditions.js';
import { classifyView } from '../domain/view-support.js';
import type { Fact, UpdateInViewFact } from '../messages/contacts.js';
import type { UpdateVerdict } from '../messages/outcomes.js';
import type { NormalisedUpdate, UpdatesMessage } from '../messages/updates.js';
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
import { pageKeyOf } from './page-key.js';

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
 */
export interface ViewClassifierDeps {
  readonly integrations: Pick<IntegrationsRepository, 'get'>;
  readonly views: Pick<ViewsRepository, 'list' | 'put'>;
  readonly ticketState: Pick<TicketStateRepository<TicketState>, 'load' | 'save'>;
  readonly interactions: Pick<InteractionsRepository<TicketState>, 'putPage' | 'page' | 'putUpdateLog'>;
  /** Requesters' languages, looked up only when a counted view asks for them. */
  readonly users: Pick<UsersRepository, 'locales'>;
  readonly bus: Pick<MessageBus, 'sendUpdates' | 'sendContacts'>;
  /** Ticket audits, for tickets first seen in the middle of their life. */
  readonly zendesk: ZendeskFactory<'ticketAudits'>;
  readonly logger: PipelineLogger;
  readonly settings: Pick<PipelineSettings, 'replayPageSize'>;
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
    ticketState: ['BatchGetItem', 'BatchWriteItem'],
    interactions: ['Query', 'PutItem'],
    // Requesters' languages, for views on Requester language (locale_id).
    users: ['BatchGetItem'],
  },
  sendsTo: ['updates', 'contacts'],
  secrets: { credentials: 'readAndRotate' },
};

export class AuditsRateLimitedError extends ZendeskRateLimitedError {
  override readonly name = 'AuditsRateLimitedError';
  constructor(ticketId: number, retryAfterSeconds: number) {
    super(retryAfterSeconds, `reading the audits of ticket ${ticketId}`);
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
    case 'replay':
      return replayView(deps, integration, message.viewId, message.after);
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

const liveViews = async (deps: ViewClassifierDeps, integrationId: string): Promise<ClassifiedView[]> =>
  (await deps.views.list(integrationId))
    .filter((v) => !v.deleted)
    .map((v) => ({ view: v.view, supported: isCounted(v) }));

const isoOf = (event: TicketEventRecord) => new Date(event.timestamp * 1000).toISOString();

/** A ticket update's count in one view: in the view's queue for the update's channel. */
const inViewFact = (
  updateId: number,
  at: string,
  queue: SourceQueue,
  integration: Integration,
): UpdateInViewFact => {
  const c = supportContribution(queue.id, at, integration.intervalMinutes);
  return {
    kind: 'update_in_view',
    updateId,
    at,
    contribution: {
      queue: {
        id: queue.id,
        name: queue.name,
        channel: queue.channel,
        source: queue.source,
        viewId: queue.viewId,
      },
      intervalStart: c.intervalStart,
      contacts: c.contacts,
      handled: c.handled,
      handleSeconds: c.handleSeconds,
    },
  };
};

/** Audit requests of one page in flight at once (they count against the account's rate limit, not the export's). */
const AUDIT_CONCURRENCY = 8;

const hasCreation = (event: TicketEventRecord) => event.children.some((c) => c.kind === 'Create');

/** State of a ticket just before `first`, rebuilt from its audits (not counted). */
const priorState = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  first: TicketEventRecord,
): Promise<TicketState | undefined> => {
  const client = await deps.zendesk(integration);
  let audits: Awaited<ReturnType<typeof client.ticketAudits>>;
  try {
    audits = await client.ticketAudits(first.ticketId);
  } catch (error) {
    // A ticket deleted since has no audits any more; its updates are applied from an empty state.
    if (error instanceof ZendeskRequestError && error.status === 404) return undefined;
    throw error;
  }
  if (!Array.isArray(audits)) {
    throw new AuditsRateLimitedError(first.ticketId, audits.retryAfterSeconds);
  }
  let state: TicketState | undefined;
  for (const audit of [...audits].sort((a, b) => a.timestamp - b.timestamp || a.id - b.id)) {
    const before =
      audit.timestamp < first.timestamp || (audit.timestamp === first.timestamp && audit.id < first.id);
    if (before) state = applyUpdate(state, audit);
  }
  return state;
};

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

/** The requesters of a page: those of the states before it, and any the page sets. */
const requestersOf = (states: ReadonlyMap<number, TicketState>, updates: readonly NormalisedUpdate[]) => {
  const requesters: number[] = [];
  for (const state of states.values()) if (state.requesterId !== null) requesters.push(state.requesterId);
  for (const { event } of updates)
    for (const child of event.children)
      if (
        (child.kind === 'Create' || child.kind === 'Change') &&
        child.field === 'requester_id' &&
        /^\d+$/.test(String(child.value))
      )
        requesters.push(Number(child.value));
  return requesters;
};

const countUpdates = async (
  deps: ViewClassifierDeps,
  integration: Integration,
  pageKey: string,
  updates: readonly NormalisedUpdate[],
) => {
  const ticketIds = [...new Set(updates.map((u) => u.event.ticketId))];
  const [views, loaded] = await Promise.all([
    liveViews(deps, integration.id),
    deps.ticketState.load(integration.id, ticketIds),
  ]);
  const states = new Map(loaded.states);
  const firstOf = new Map<number, TicketEventRecord>();
  for (const u of updates) if (!firstOf.has(u.event.ticketId)) firstOf.set(u.event.ticketId, u.event);
  const unknown = ticketIds.filter((id) => !states.has(id) && !hasCreation(firstOf.get(id)!));
  // Each ticket's audits are one request of their own: a few in flight hide the round trips.
  await eachConcurrently(unknown, AUDIT_CONCURRENCY, async (ticketId) => {
    const prior = await priorState(deps, integration, firstOf.get(ticketId)!);
    if (prior) states.set(ticketId, prior);
  });

  const facts: Fact[] = [];
  const interactions: StoredInteraction<TicketState>[] = [];
  const log: UpdateLogEntry[] = [];
  const evaluatedViews = views.filter((v) => v.supported && v.view.active).map((v) => v.view.id);
  const context = await contextWithLocales(deps, integration, views, () => requestersOf(states, updates));
  const changed = new Map<number, TicketState>();
  for (const update of updates) {
    const { event } = update;
    const before = states.get(event.ticketId);
    // Messaging: the session the creation awaited is the creation's contact, not one of its own.
    const verdict: UpdateVerdict =
      'interaction' in update.verdict &&
      update.verdict.interaction === 'chat_session' &&
      isCreationSession(event, before)
        ? { kind: 'skipped', reason: 'creation_session' }
        : update.verdict;
    if (before && !isNewerThanState(before, event)) continue; // already applied: its facts were sent then
    const after = applyUpdate(before, event);
    states.set(event.ticketId, after);
    changed.set(event.ticketId, after);
    const at = isoOf(event);
    const queues =
      verdict.kind === 'counted' ? queuesForInteraction(views, after, at, verdict.channel, context) : [];
    log.push({
      kind: 'classified',
      updateId: event.id,
      ticketId: event.ticketId,
      at,
      verdict,
      creates: hasCreation(event),
      authorRole: update.authorRole ?? null,
      queueIds: queues.map((q) => q.id),
    });
    if (verdict.kind === 'warm_up') continue;
    // The verdict is the update's outcome: it goes on to the aggregator as decided above.
    facts.push({ kind: 'update_outcome', updateId: event.id, at, outcome: verdict });
    if (verdict.kind !== 'counted') continue;
    const { channel } = verdict;
    for (const queue of queues) facts.push(inViewFact(event.id, at, queue, integration));
    interactions.push({
      updateId: event.id,
      ticketId: event.ticketId,
      createdAt: at,
      channel,
      viaChannel: verdict.viaChannel,
      state: after,
      evaluatedViews,
    });
  }

  // Contacts, interactions and the update log before state: once the state says an update was
  // applied, it is never redone. They do not depend on each other, so they are written together.
  await Promise.all([
    facts.length > 0
      ? deps.bus.sendContacts({ version: 2, pageKey, integrationId: integration.id, facts })
      : undefined,
    interactions.length > 0 ? deps.interactions.putPage(integration.id, pageKey, interactions) : undefined,
    log.length > 0 ? deps.interactions.putUpdateLog(integration.id, pageKey, log) : undefined,
  ]);
  await deps.ticketState.save(loaded, changed);
  deps.logger.info('ticket updates classified', {
    integrationId: integration.id,
    updates: updates.length,
    applied: changed.size,
    interactions: interactions.length,
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
    for (const queue of queues) facts.push(inViewFact(i.updateId, i.createdAt, queue, integration));
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
