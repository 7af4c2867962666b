/**
 * `reconcile`: the product's reconstruction checked against Zendesk's own answers, on the account.
 *
 * - Views: for every view the product counts in, the tickets its current ticket state places in
 *   the view now versus Zendesk's count of the view (and, when the counts differ or Zendesk has
 *   not counted yet, the tickets Zendesk lists), each differing ticket with the condition that
 *   decides it and whether that difference is explained.
 * - Creations: tickets created in the window according to the incremental tickets export versus
 *   the creations the product logged.
 * - Calls: inbound calls that started in the window according to the Talk export versus the calls
 *   the product counted.
 *
 * Explained differences are not errors: a ticket the product never needed (not updated since the
 * import's warm-up began), a ticket Zendesk changed after the product's last import, a condition
 * on time (hours since, days until) evaluated at another instant. Anything else differs.
 *
 * The comparisons are pure functions; `reconcile` gathers their input through narrow ports.
 */
import type { CallRecord, TicketRecord, ViewCondition, ViewRecord } from '../domain/records.js';
import type { TicketState } from '../domain/ticket-state.js';
import {
  conditionHolds,
  isTimeBasedCondition,
  viewMatches,
  type ViewContext,
} from '../domain/view-conditions.js';
import type { CallFact } from '../messages/contacts.js';
import type { ContactFactsRepository } from '../store/contact-facts-repository.js';
import type { Integration } from '../store/integrations-repository.js';
import type { InteractionsRepository, UpdateLogEntry } from '../store/interactions-repository.js';
import type { TicketStateRepository } from '../store/ticket-state-repository.js';
import type { UsersRepository } from '../store/users-repository.js';
import type { ViewsRepository } from '../store/views-repository.js';
import type { ExportPosition } from '../zendesk/positions.js';
import type { RateLimited } from '../zendesk/api.js';
import type { ViewCount, ViewTicket, ZendeskClient } from '../zendesk/client.js';
import { talkRefusalOf, ZendeskRequestError } from '../zendesk/errors.js';
import { isCounted, viewContextOf } from './view-classifier.js';

/** Why one ticket is in one list and not the other. */
export type TicketDifferenceReason =
  /** Only in Zendesk's list: the product holds no state of it (not updated since the import's warm-up began). */
  | { readonly kind: 'no_state' }
  /** Only in Zendesk's list: Zendesk updated it after the product's history is complete. */
  | { readonly kind: 'updated_after_import'; readonly updatedAt: string }
  /** A condition on time decides it: evaluated by each side at its own instant. */
  | { readonly kind: 'time_based'; readonly conditions: readonly ViewCondition[] }
  /** The product's state decides otherwise on these conditions. */
  | { readonly kind: 'conditions'; readonly conditions: readonly ViewCondition[] };

export interface TicketDifference {
  readonly ticketId: number;
  /** Which list holds it: Zendesk's only, or the product's only. */
  readonly onlyIn: 'zendesk' | 'product';
  readonly reason: TicketDifferenceReason;
  readonly explained: boolean;
}

export interface ViewReconciliation {
  readonly viewId: number;
  readonly title: string;
  /** Tickets the product places in the view now. */
  readonly product: number;
  /** Zendesk's count; null while Zendesk has not counted the view. */
  readonly zendesk: number | null;
  readonly differences: readonly TicketDifference[];
  /**
   * `agrees`: same count; `explained`: every difference explained; `differs` otherwise; `gone`:
   * Zendesk no longer has the view (its history stays; the next run's views read marks it deleted).
   */
  readonly verdict: 'agrees' | 'explained' | 'differs' | 'gone';
}

/** The conditions of a view that the product's state does not satisfy (the `any` group as a whole when none holds). */
const failingConditions = (
  view: ViewRecord,
  state: TicketState,
  atMs: number,
  context: ViewContext,
): ViewCondition[] => {
  const failing = view.conditions.all.filter((c) => !conditionHolds(c, state, atMs, context));
  const anyHolds =
    view.conditions.any.length === 0 ||
    view.conditions.any.some((c) => conditionHolds(c, state, atMs, context));
  return anyHolds ? failing : [...failing, ...view.conditions.any];
};

export interface ViewComparisonInput {
  readonly view: ViewRecord;
  readonly states: ReadonlyMap<number, TicketState>;
  /** The instant the product evaluates at (Zendesk evaluates at its own "now"). */
  readonly at: string;
  readonly context: ViewContext;
  /** Up to when the product's history is complete; null before the first import. */
  readonly completeUpTo: string | null;
  readonly zendeskCount: ViewCount;
  /** Zendesk's list of the view's tickets, read when the counts differ (or Zendesk has not counted). */
  readonly zendeskTickets: readonly ViewTicket[] | null;
  /** Whether the product places a ticket in the view (the pipeline's own evaluator; a test breaks it). */
  readonly matches?: typeof viewMatches;
}

/** Tickets the product places in the view at `at`, by id. */
export const productTicketsInView = (
  view: ViewRecord,
  states: ReadonlyMap<number, TicketState>,
  at: string,
  context: ViewContext,
  matches: typeof viewMatches = viewMatches,
): number[] =>
  [...states]
    .filter(([, state]) => matches(view, state, at, context))
    .map(([id]) => id)
    .sort((a, b) => a - b);

export const compareView = (input: ViewComparisonInput): ViewReconciliation => {
  const { view, states, at, context } = input;
  const inProduct = productTicketsInView(view, states, at, context, input.matches);
  const base = {
    viewId: view.id,
    title: view.title,
    product: inProduct.length,
    zendesk: input.zendeskCount.value,
  };
  if (input.zendeskCount.value === inProduct.length && input.zendeskTickets === null)
    return { ...base, differences: [], verdict: 'agrees' };
  const zendeskList = input.zendeskTickets ?? [];
  const inZendesk = new Map(zendeskList.map((t) => [t.id, t]));
  const productSet = new Set(inProduct);
  const atMs = Date.parse(at);
  const timeBased = [...view.conditions.all, ...view.conditions.any].filter(isTimeBasedCondition);
  const differences: TicketDifference[] = [];
  for (const ticket of [...inZendesk.values()].sort((a, b) => a.id - b.id)) {
    if (productSet.has(ticket.id)) continue;
    const state = states.get(ticket.id);
    let reason: TicketDifferenceReason;
    if (
      input.completeUpTo !== null &&
      ticket.updatedAt !== null &&
      Date.parse(ticket.updatedAt) >= Date.parse(input.completeUpTo)
    )
      reason = { kind: 'updated_after_import', updatedAt: ticket.updatedAt };
    else if (!state) reason = { kind: 'no_state' };
    else {
      const failing = failingConditions(view, state, atMs, context);
      reason =
        failing.length > 0 && failing.every(isTimeBasedCondition)
          ? { kind: 'time_based', conditions: failing }
          : { kind: 'conditions', conditions: failing };
    }
    differences.push({
      ticketId: ticket.id,
      onlyIn: 'zendesk',
      reason,
      explained: reason.kind !== 'conditions',
    });
  }
  for (const id of inProduct) {
    if (inZendesk.has(id)) continue;
    // Every condition holds in the product's state; only a condition on time can tell the two instants apart.
    const reason: TicketDifferenceReason =
      timeBased.length > 0
        ? { kind: 'time_based', conditions: timeBased }
        : { kind: 'conditions', conditions: [...view.conditions.all, ...view.conditions.any] };
    differences.push({ ticketId: id, onlyIn: 'product', reason, explained: reason.kind === 'time_based' });
  }
  const countsAgree = input.zendeskCount.value === inProduct.length && differences.length === 0;
  return {
    ...base,
    differences,
    verdict: countsAgree
      ? 'agrees'
      : differences.every((d) => d.explained) && differences.length > 0
        ? 'explained'
        : 'differs',
  };
};

/** A window of the import: [from, to). */
export interface Window {
  readonly from: string;
  readonly to: string;
}

const inWindow = (at: string, w: Window) =>
  Date.parse(at) >= Date.parse(w.from) && Date.parse(at) < Date.parse(w.to);

export interface SetComparison {
  /** How many Zendesk's export has in the window. */
  readonly zendesk: number;
  /** How many the product has in the window. */
  readonly product: number;
  /** Of the product's, how many were counted as contacts. */
  readonly counted: number;
  readonly onlyInZendesk: readonly number[];
  readonly onlyInProduct: readonly number[];
  readonly agrees: boolean;
}

const compareSets = (
  zendesk: readonly number[],
  product: readonly number[],
  counted: number,
): SetComparison => {
  const z = new Set(zendesk);
  const p = new Set(product);
  const onlyInZendesk = [...z].filter((id) => !p.has(id)).sort((a, b) => a - b);
  const onlyInProduct = [...p].filter((id) => !z.has(id)).sort((a, b) => a - b);
  return {
    zendesk: z.size,
    product: p.size,
    counted,
    onlyInZendesk,
    onlyInProduct,
    agrees: onlyInZendesk.length === 0 && onlyInProduct.length === 0,
  };
};

/** Tickets created in the window per Zendesk's tickets export versus the creations the product logged. */
export const compareCreations = (
  tickets: readonly Pick<TicketRecord, 'id' | 'createdAt'>[],
  log: readonly UpdateLogEntry[],
  window: Window,
): SetComparison => {
  const creations = log.filter(
    (e): e is Extract<UpdateLogEntry, { kind: 'classified' }> =>
      e.kind === 'classified' && e.creates && inWindow(e.at, window),
  );
  return compareSets(
    tickets.filter((t) => inWindow(t.createdAt, window)).map((t) => t.id),
    creations.map((e) => e.ticketId),
    creations.filter((e) => e.verdict.kind === 'counted').length,
  );
};

/** Inbound calls that started in the window per Zendesk's Talk export versus the calls the product counted. */
export const compareCalls = (
  calls: readonly Pick<CallRecord, 'id' | 'createdAt' | 'direction'>[],
  facts: readonly CallFact[],
  window: Window,
): SetComparison => {
  const counted = facts.filter(
    (f) =>
      f.outcome.kind === 'counted' &&
      f.contribution !== null &&
      inWindow(f.call?.startedAt ?? f.contribution.intervalStart, window),
  );
  return compareSets(
    calls.filter((c) => c.direction === 'inbound' && inWindow(c.createdAt, window)).map((c) => c.id),
    counted.map((f) => f.callId),
    counted.length,
  );
};

// ---------------------------------------------------------------------------------------------
// The use case

export type ReconcileZendesk = Pick<ZendeskClient, 'viewCount' | 'viewTickets' | 'tickets' | 'calls'>;

export interface ReconcileDeps {
  readonly views: Pick<ViewsRepository, 'list'>;
  readonly ticketState: Pick<TicketStateRepository<TicketState>, 'all'>;
  readonly interactions: Pick<InteractionsRepository<TicketState>, 'updateLog'>;
  readonly facts: Pick<ContactFactsRepository, 'calls'>;
  readonly users: Pick<UsersRepository, 'locales'>;
  readonly zendesk: ReconcileZendesk;
  /** Waits out Zendesk's Retry-After (views are limited per view and agent). */
  readonly sleep: (ms: number) => Promise<void>;
  /** The product's view evaluator; a test substitutes a broken one to see it caught. */
  readonly matches?: typeof viewMatches;
}

/** Zendesk refuses the Talk export to these credentials: the calls are not compared. */
export interface TalkRefused {
  readonly talkRefused: string;
}

export interface Reconciliation {
  readonly at: string;
  readonly window: Window;
  readonly views: readonly ViewReconciliation[];
  readonly creations: SetComparison;
  /** Inbound calls compared, or Zendesk's words when it refuses its Talk export (an account without Talk). */
  readonly calls: SetComparison | TalkRefused;
  /** Nothing differs beyond what is explained. */
  readonly agrees: boolean;
}

/** Zendesk's 429s are waited out, a few times at most. */
export const MAX_RATE_LIMIT_WAITS = 20;

const isRateLimited = (answer: unknown): answer is RateLimited =>
  typeof answer === 'object' && answer !== null && 'kind' in answer && answer.kind === 'rate_limited';

/** Asks until Zendesk answers, sleeping each 429's Retry-After; gives up after MAX_RATE_LIMIT_WAITS waits. */
export const patiently = async <T>(
  deps: Pick<ReconcileDeps, 'sleep'>,
  ask: () => Promise<T | RateLimited>,
): Promise<Exclude<T, RateLimited>> => {
  for (let waits = 0; ; waits += 1) {
    const answer = await ask();
    if (!isRateLimited(answer)) return answer as Exclude<T, RateLimited>;
    if (waits >= MAX_RATE_LIMIT_WAITS)
      throw new Error(`Zendesk kept refusing with 429 after ${MAX_RATE_LIMIT_WAITS} waits`);
    await deps.sleep(answer.retryAfterSeconds * 1000);
  }
};

/** Every record of an export from a start time to its end. */
const readExport = async <T>(
  deps: Pick<ReconcileDeps, 'sleep'>,
  page: (
    from: ExportPosition,
  ) => ReturnType<ReconcileZendesk['calls']> | ReturnType<ReconcileZendesk['tickets']>,
  startTime: number,
): Promise<T[]> => {
  const records: T[] = [];
  let from: ExportPosition = { startTime };
  for (;;) {
    const outcome = await patiently<Awaited<ReturnType<typeof page>>>(deps, () => page(from));
    records.push(...(outcome.records as T[]));
    if (outcome.endOfStream) return records;
    from = outcome.next;
  }
};

/**
 * What Zendesk answers about a view, or `gone` when it no longer has the view (404): deleted since
 * the last views read, which is one view's answer, never the whole report's.
 */
const unlessGone = async <T>(
  deps: ReconcileDeps,
  read: () => Promise<T | RateLimited>,
): Promise<Exclude<T, RateLimited> | 'gone'> => {
  try {
    return await patiently<T>(deps, read);
  } catch (error) {
    if (error instanceof ZendeskRequestError && error.status === 404) return 'gone';
    throw error;
  }
};

/**
 * The Talk export's calls, or what Zendesk said refusing it: the tickets export was just answered
 * with the same credentials, so the refusal is of Talk (`talkRefusalOf`).
 */
const readCallsUnlessRefused = async (
  deps: ReconcileDeps,
  startTime: number,
): Promise<CallRecord[] | TalkRefused> => {
  try {
    return await readExport<CallRecord>(deps, (from) => deps.zendesk.calls(from), startTime);
  } catch (error) {
    const refused = talkRefusalOf(error);
    if (refused !== null) return { talkRefused: refused };
    throw error;
  }
};

export const reconcile = async (
  deps: ReconcileDeps,
  integration: Integration,
  at: Date,
  completeUpTo: Date | null,
): Promise<Reconciliation> => {
  const [stored, states, log, facts] = await Promise.all([
    deps.views.list(integration.id),
    deps.ticketState.all(integration.id),
    deps.interactions.updateLog(integration.id),
    deps.facts.calls(integration.id),
  ]);
  const counted = stored.filter(isCounted).sort((a, b) => a.view.id - b.view.id);
  const base = viewContextOf(integration);
  const asksLocale = counted.some((v) =>
    [...v.view.conditions.all, ...v.view.conditions.any].some((c) => c.field === 'locale_id'),
  );
  const requesters = [
    ...new Set([...states.values()].flatMap((s) => (s.requesterId !== null ? [s.requesterId] : []))),
  ];
  const locales = asksLocale
    ? await deps.users.locales(integration.id, requesters)
    : new Map<number, number>();
  const context: ViewContext = asksLocale ? { ...base, localeOf: (id) => locales.get(id) ?? null } : base;
  const iso = at.toISOString();
  const views: ViewReconciliation[] = [];
  for (const { view } of counted) {
    const productCount = productTicketsInView(view, states, iso, context, deps.matches).length;
    const zendeskCount = await unlessGone<ViewCount>(deps, () => deps.zendesk.viewCount(view.id));
    const zendeskTickets =
      zendeskCount === 'gone' || zendeskCount.value === productCount
        ? null
        : await unlessGone<ViewTicket[]>(deps, () => deps.zendesk.viewTickets(view.id));
    if (zendeskCount === 'gone' || zendeskTickets === 'gone') {
      views.push({
        viewId: view.id,
        title: view.title,
        product: productCount,
        zendesk: null,
        differences: [],
        verdict: 'gone',
      });
      continue;
    }
    views.push(
      compareView({
        view,
        states,
        at: iso,
        context,
        completeUpTo: completeUpTo?.toISOString() ?? null,
        zendeskCount,
        zendeskTickets,
        ...(deps.matches ? { matches: deps.matches } : {}),
      }),
    );
  }
  const end = [completeUpTo?.getTime() ?? Date.parse(integration.importFrom), at.getTime()];
  if (integration.importUntil) end.push(Date.parse(integration.importUntil));
  const window: Window = { from: integration.importFrom, to: new Date(Math.min(...end)).toISOString() };
  const startTime = Math.floor(Date.parse(integration.importFrom) / 1000);
  const tickets = await readExport<TicketRecord>(deps, (from) => deps.zendesk.tickets(from), startTime);
  const calls = await readCallsUnlessRefused(deps, startTime);
  const creations = compareCreations(tickets, log, window);
  const callComparison = 'talkRefused' in calls ? calls : compareCalls(calls, facts, window);
  return {
    at: iso,
    window,
    views,
    creations,
    calls: callComparison,
    agrees:
      views.every((v) => v.verdict !== 'differs') &&
      creations.agrees &&
      ('talkRefused' in callComparison || callComparison.agrees),
  };
};
