import { z } from 'zod';
import type { CallRecord, TicketEventRecord, TicketRecord } from '../domain/records.js';
import { isSettledBy, isWindowReadBy } from '../domain/ticket-records.js';
import { byUpdateOrder } from '../domain/ticket-state.js';
import { descriptionSearchWords } from '../domain/view-conditions.js';
import type { AuditsFetchJob, ExportFetchJob, FetchJob } from '../messages/fetch-job.js';
import { MAX_AUDITS_PER_TICKET } from '../messages/changes.js';
import { TicketEventSchema } from '../messages/records.js';
import { importRunStart } from '../messages/fetch-job.js';
import { QUEUES } from '../messages/queues.js';
import { nextStream, STREAMS } from '../messages/streams.js';
import {
  CursorConflictError,
  type CursorsRepository,
  type StoredPosition,
} from '../store/cursors-repository.js';
import type { ImportRunsRepository } from '../store/import-runs-repository.js';
import type { Integration, IntegrationsRepository } from '../store/integrations-repository.js';
import type { QuarantineRepository } from '../store/quarantine-repository.js';
import { ENDPOINTS } from '../zendesk/client.js';
import { fingerprintOf, readableId, type RejectedRecord } from '../zendesk/compact.js';
import {
  ZendeskCredentialsError,
  ZendeskEndpointClosedError,
  ZendeskExportStuckError,
  ZendeskPayloadError,
  ZendeskRequestError,
  talkRefusalOf,
} from '../zendesk/errors.js';
import { EXPORT_LAG_SECONDS, isTimePosition, type ExportPosition } from '../zendesk/positions.js';
import { ItemTooLargeError, type MessageBus } from '../messages/bus.js';
import type { ChangesMessage } from '../messages/changes.js';
import { MAX_MESSAGE_BYTES } from '../messages/split.js';
import type { DeadLetters, PipelineLogger, PipelineSettings, ZendeskFactory } from './deps.js';
import type { Grants } from './grants.js';
import { completeUpToIn } from './freshness.js';
import type { HistoryFreshness } from '../messages/freshness.js';
import { failureKindOf, markFailing } from './integration-status.js';
import { parkMessage } from './parked-work.js';
import { isTimeZone } from '../domain/time-zones.js';
import { pageKeyOf } from './page-key.js';
import type { PageFetched, ProgressListener } from './progress.js';

/**
 * The fetch step (DESIGN "Data flow"): read the stream from its stored position a page at a time,
 * hand each page on to changes.fifo, and only then advance the position, so a crash between the
 * two re-reads and re-sends the same page (same key, same content) and nothing is lost.
 *
 * - 429: the job goes back on fetch-jobs with `Retry-After` as its delay, instead of sleeping.
 * - Low on time: a follow-up job continues from the stored position.
 * - A record that does not fit: quarantined on its own (stored with its endpoint, id, the position of
 *   its page, the field and the problem) before the cursor moves past it; the rest of the page goes on.
 * - A malformed page (its envelope unreadable): retried a bounded number of times (a one-off
 *   corruption heals), then its job is parked in the fetch-jobs DLQ with the reason and the
 *   integration is failing until a redrive.
 * - Wrong credentials, an export closed to this client, a stuck export or a refused request: the
 *   integration is marked failing with Zendesk's message.
 * - 5xx and timeouts that outlast the client's retries: thrown, so SQS redelivers the job.
 * - One run at a time reads an integration's streams (`ImportRunsRepository`): a run started while
 *   another reads is queued behind it (`queued`) and starts when that one ends; a job of a run that
 *   lost its turn stops (`superseded`).
 */
export type FetchOutcome =
  | 'end_of_stream'
  | 'follow_up'
  | 'rate_limited'
  | 'stopped'
  | 'malformed_page'
  | 'failing'
  | 'superseded'
  | 'queued';

type CursorStream = 'users' | 'tickets' | 'ticket_events' | 'ticket_creations' | 'calls';

type ExportReader = Awaited<ReturnType<FetchDeps['zendesk']>>;

export interface FetchDeps {
  readonly integrations: Pick<IntegrationsRepository, 'get' | 'modify' | 'recordCompletedRun'>;
  readonly cursors: Pick<CursorsRepository, 'get' | 'advance'>;
  /** Whose turn it is to read the integration's streams. */
  readonly runs: Pick<ImportRunsRepository, 'claim' | 'queue' | 'finish' | 'release'>;
  /** Records an export page carried that do not fit (in the cursors table, beside the cursors). */
  readonly quarantine: Pick<QuarantineRepository, 'put'>;
  readonly bus: Pick<MessageBus, 'sendChanges' | 'sendFetchJob'>;
  readonly deadLetters: DeadLetters;
  readonly zendesk: ZendeskFactory<
    | 'users'
    | 'tickets'
    | 'ticketEvents'
    | 'calls'
    | 'views'
    | 'accountTimeZone'
    | 'ticketAudits'
    | 'ticketsByIds'
  >;
  /** The clock of the data being imported; stamps cursors and failure reasons. */
  readonly now: () => Date;
  readonly logger: PipelineLogger;
  /** Hears each page handed on and each rate-limit wait (a person's progress bar; nobody on AWS). */
  readonly progress: ProgressListener;
  readonly settings: Pick<
    PipelineSettings,
    'maxRetryDelaySeconds' | 'fetchTimeBudgetMs' | 'maxMalformedAttempts' | 'ticketStateWarmUpDays'
  >;
}

/**
 * The fetch function's AWS actions: what FetchDeps's repositories, bus and secret store call
 * (a quarantined record is a PutItem on the cursors table; a run's turn is an UpdateItem on the
 * integrations table, read back with GetItem when it ends, as are its time zone, its failing mark
 * and a refused Talk export).
 */
export const FETCH_GRANTS: Grants = {
  consumes: 'fetchJobs',
  // UpdateItem: the integration is only ever changed attribute by attribute (the account's time
  // zone, the last completed run, a failing mark), so it never overwrites a change made meanwhile.
  tables: { integrations: ['GetItem', 'UpdateItem'], cursors: ['GetItem', 'PutItem'] },
  sendsTo: ['changes', 'fetchJobs'],
  secrets: { credentials: 'readAndRotate' },
};

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Where a stream starts before it has a cursor: users from the beginning (comment authors may be
 * old), ticket events a warm-up before the window (their state, not their counts, is needed), the
 * tickets export (both passes) at the same time (every ticket updated since: those created in the
 * window, and older ones whose values the events may never state), calls at the window.
 */
const initialPosition = (
  integration: Integration,
  stream: CursorStream,
  warmUpDays: number,
): StoredPosition => {
  const from = epochSeconds(integration.importFrom);
  if (stream === 'users') return { startTime: 0 };
  if (stream === 'ticket_events' || stream === 'tickets' || stream === 'ticket_creations')
    return { startTime: Math.max(0, Math.floor(from - warmUpDays * 86_400)) };
  return { startTime: from };
};

/**
 * An import of a past period (`importUntil`) needs no ticket event from its end on: the export is
 * in time order and events never change, so the first page that reaches the end is the last one
 * read. Calls are read on: the Talk export orders by `updated_at`, and a call that started inside
 * the window appears only where its last update puts it, possibly later. Users are all needed.
 */
const reachedImportEnd = (
  integration: Integration,
  stream: CursorStream,
  records: readonly object[],
): boolean => {
  if (stream !== 'ticket_events' || integration.importUntil === undefined) return false;
  const last = (records.at(-1) as TicketEventRecord | undefined)?.timestamp;
  return last !== undefined && last * 1000 >= Date.parse(integration.importUntil);
};

/** What a page handed on tells a person watching: its size, its warm-up share, how far it reaches. */
export const pageFetched = (
  integration: Pick<Integration, 'id' | 'importFrom'>,
  stream: CursorStream | 'views',
  records: readonly object[],
): PageFetched => {
  const timeOf = (record: object): number | undefined =>
    stream === 'ticket_events'
      ? (record as TicketEventRecord).timestamp * 1000
      : stream === 'calls'
        ? Date.parse((record as CallRecord).updatedAt)
        : undefined;
  const windowStart = Date.parse(integration.importFrom);
  const last = records.at(-1);
  const reachedAt = last === undefined ? undefined : timeOf(last);
  return {
    kind: 'page_fetched',
    integrationId: integration.id,
    stream,
    records: records.length,
    beforeWindow:
      stream === 'ticket_events' ? records.filter((r) => (timeOf(r) ?? windowStart) < windowStart).length : 0,
    ...(reachedAt === undefined ? {} : { reachedAt: new Date(reachedAt) }),
  };
};

const readPage = (client: ExportReader, stream: CursorStream, position: StoredPosition) => {
  switch (stream) {
    case 'users':
      return client.users(position);
    case 'tickets':
    case 'ticket_creations':
      return client.tickets(position);
    case 'ticket_events':
      return client.ticketEvents(position);
    case 'calls':
      return client.calls(position);
  }
};

/**
 * How much earlier than Zendesk's documented minute the end of the ticket events is taken as read.
 * Zendesk says the export leaves out the last minute; it does not say the `Date` of its answer is the
 * instant the page was cut (a large page is computed before it is sent), nor that an update older
 * than a minute is always there. A record settled by a read-through a few seconds too late is
 * counted from the record, and the updates the export then brings for its seconds are taken as
 * applied: their comments would be lost without a word. Settling a minute later costs only that
 * minute, for the few creations the events lack.
 */
export const READ_THROUGH_MARGIN_SECONDS = 60;

/**
 * Where the ticket events' position says they have been read through (epoch seconds, exclusive):
 * every update before it has been handed on. At the end of the stream that is everything Zendesk
 * had, up to a minute before it answered, less the margin above; mid-stream, everything before the
 * next page's start. `answeredAt` is on Zendesk's clock (the export's answer says when), which the
 * records' times are on: a machine whose clock runs ahead of Zendesk's would otherwise take updates
 * not yet exported for read, settle a ticket record by them, and skip those updates when they came.
 */
export const eventsReadThroughAfter = (
  next: StoredPosition,
  endOfStream: boolean,
  answeredAt: number,
): number => {
  const startTime = isTimePosition(next) ? next.startTime : 0;
  return endOfStream
    ? Math.max(startTime, answeredAt - EXPORT_LAG_SECONDS - READ_THROUGH_MARGIN_SECONDS)
    : startTime;
};

/** The ticket events' read-through as stored with their position; 0 before they were read. */
const storedEventsReadThrough = async (deps: FetchDeps, integrationId: string): Promise<number> => {
  const position = (await deps.cursors.get(integrationId, 'ticket_events'))?.position;
  if (!position || !isTimePosition(position)) return 0;
  return position.readThrough ?? position.startTime;
};

/**
 * A page of the creations pass holds its cursor while it carries a record the ticket events have
 * not settled yet (`isSettledBy`): the record may show updates still on their way, a creation in
 * the window may still come through the events, and a ticket waiting for its record (see the view
 * classifier) is resolved only by a settled one. The page is read again on the next run, when the
 * events have moved on; the records it shares with this read are then known to the view
 * classifier and cost nothing twice. Records are in update order, so only the last pages of the
 * export can hold.
 *
 * A past period's import whose events are read through its window's end never holds: its records
 * updated since the window never settle, the view classifier counts their window's creations from
 * the audits, and its tickets never wait for a record. Holding there kept the pass on its first
 * page with such a record, run after run, and the window's creations on later pages went uncounted.
 */
const holdsRecords = (
  integration: Integration,
  records: readonly TicketRecord[],
  eventsReadThrough: number,
): boolean =>
  !isWindowReadBy(integration, eventsReadThrough) && records.some((r) => !isSettledBy(r, eventsReadThrough));

export const fetchStream = async (
  deps: FetchDeps,
  job: FetchJob,
  remainingMs: () => number,
): Promise<FetchOutcome> => {
  const integration = await deps.integrations.get(job.integrationId);
  if (!integration || integration.status !== 'active') {
    deps.logger.info('fetch job dropped: integration not active', {
      integrationId: job.integrationId,
      status: integration?.status ?? 'missing',
    });
    // A resume starts a run of its own, which must not wait for this one's turn to go stale.
    if (isRunJob(job)) await deps.runs.release(job.integrationId, job.runId);
    return 'stopped';
  }
  if (isRunJob(job)) {
    const turn = await takeTurn(deps, job);
    if (turn !== 'go') return turn;
  }
  const client = await deps.zendesk(integration);
  try {
    if (job.stream === 'ticket_audits') return await readTicket(deps, job, integration, client);
    return job.stream === 'views'
      ? await fetchViews(deps, job, integration, client)
      : await fetchPages(deps, job, job.stream, integration, client, remainingMs);
  } catch (error) {
    if (error instanceof CursorConflictError) {
      // A second delivery of the same job, or a job of a run whose stale turn was taken over.
      deps.logger.warn('another fetch advanced this stream; this one stops', { ...where(job) });
      return 'superseded';
    }
    // A ticket's read drops what does not fit itself (`readTicket`).
    if (error instanceof ZendeskPayloadError && job.stream !== 'ticket_audits')
      return malformed(deps, job, error);
    if (
      error instanceof ZendeskCredentialsError ||
      error instanceof ZendeskEndpointClosedError ||
      error instanceof ZendeskExportStuckError ||
      error instanceof ZendeskRequestError
    ) {
      await markFailing(deps, integration.id, error.message, failureKindOf(error));
      deps.logger.error('integration marked failing', { ...where(job), reason: error.message });
      if (isRunJob(job)) await deps.runs.release(job.integrationId, job.runId);
      return 'failing';
    }
    throw error;
  }
};

/**
 * The run goes on without calls: a Support-only account has no Talk, and its tickets must not
 * wait for one. Only a run's first calls request is read so (`fetchPages`): the run's Support
 * streams were just answered with the same credentials, so what is refused is Talk; a refusal
 * after the calls export answered in this run is not an account without Talk, and fails as any
 * other. The integration says so (`talkUnavailable`, shown to the user with Zendesk's words), and
 * each later run asks again, so the calls are imported from where they stopped (the start of the
 * history when they were never read) once Talk opens to these credentials.
 */
const withoutTalk = async (
  deps: FetchDeps,
  job: ExportFetchJob,
  integration: Integration,
  reason: string,
): Promise<FetchOutcome> => {
  await deps.integrations.modify(integration.id, (current) =>
    current.talkUnavailable?.reason === reason
      ? undefined
      : {
          ...current,
          talkUnavailable: { reason, since: current.talkUnavailable?.since ?? deps.now().toISOString() },
        },
  );
  deps.logger.warn('Talk calls not imported: Zendesk refuses its export to these credentials', {
    ...where(job),
    reason,
  });
  return chain(deps, job);
};

/** A job of an import run (chained through every stream), as opposed to a ticket's read now. */
const isRunJob = (job: FetchJob): job is ExportFetchJob => job.stream !== 'ticket_audits' && job.chain;

const where = (job: FetchJob) => ({
  integrationId: job.integrationId,
  stream: job.stream,
  runId: job.runId,
  ...(job.stream === 'ticket_audits' ? { ticketId: job.ticketId } : {}),
});

/**
 * A ticket Zendesk's webhook said changed, read now (its audits, then its record), so its update
 * is counted within seconds instead of after the export's minute and the next run. No stream
 * position moves: the export brings the same updates later and the ticket's state, which has
 * applied them, skips them. Nothing depends on the read: whatever it cannot do at once and for
 * certain is dropped and left to the export, which counts the update a minute or two later. So a
 * rate limit drops it (a retry would compete with the export for the same budget), as does any
 * refusal or answer that does not fit; only wrong credentials, which stop the export too, mark the
 * integration failing. A past period's import reads no ticket now (its window ended), nor is a
 * ticket with more audits than one page of work takes read past the page that tells so.
 */
const readTicket = async (
  deps: FetchDeps,
  job: AuditsFetchJob,
  integration: Integration,
  client: ExportReader,
): Promise<FetchOutcome> => {
  if (integration.importUntil !== undefined) return droppedTicket(deps, job, 'a past period is imported');
  try {
    return await fetchTicket(deps, job, integration, client);
  } catch (error) {
    if (
      error instanceof ZendeskRequestError ||
      error instanceof ZendeskPayloadError ||
      error instanceof ZendeskEndpointClosedError
    )
      return droppedTicket(deps, job, error.message);
    throw error;
  }
};

const fetchTicket = async (
  deps: FetchDeps,
  job: AuditsFetchJob,
  integration: Integration,
  client: ExportReader,
): Promise<FetchOutcome> => {
  const audits = await client.ticketAudits(job.ticketId, MAX_AUDITS_PER_TICKET);
  if (!Array.isArray(audits)) return droppedTicket(deps, job, 'Zendesk asks to wait (rate limit)');
  if (audits.length > MAX_AUDITS_PER_TICKET)
    return droppedTicket(deps, job, `more than ${MAX_AUDITS_PER_TICKET} audits`);
  // The next stages read the page with this schema: a misfit would stop the integration's group.
  const fit = z.array(TicketEventSchema).safeParse(audits);
  if (!fit.success) return droppedTicket(deps, job, 'an audit does not fit the ticket event schema');
  if (fit.data.some((audit) => audit.ticketId !== job.ticketId))
    return droppedTicket(deps, job, 'an audit names another ticket');
  // After the audits: a record read later reflects at least every update they hold.
  const records = await client.ticketsByIds([job.ticketId]);
  if (!Array.isArray(records)) return droppedTicket(deps, job, 'Zendesk asks to wait (rate limit)');
  const record = records.find((r) => r.id === job.ticketId) ?? null;
  // Applied in the order the ticket state's replay guard compares them in.
  const ordered = [...fit.data].sort(byUpdateOrder);
  await deps.bus.sendChanges({
    version: 1,
    pageKey: pageKeyOf('ticket_audits', integration.id, job.ticketId, ordered, record),
    integrationId: integration.id,
    stream: 'ticket_audits',
    ticketId: job.ticketId,
    records: ordered,
    record,
  });
  deps.logger.info('ticket read now', { ...where(job), audits: ordered.length });
  return 'end_of_stream';
};

const droppedTicket = (deps: FetchDeps, job: AuditsFetchJob, reason: string): FetchOutcome => {
  deps.logger.info('ticket not read now; the export brings it', { ...where(job), reason });
  return 'stopped';
};

/**
 * The views, and once per run the account's time zone (kept with the integration: the view
 * classifier evaluates date conditions in it). A zone the platform does not know is not kept. The
 * views' "description contains … words" are kept with the integration too (`descriptionSearchWords`).
 */
/**
 * The integration with the account's time zone as Zendesk named it: kept when the platform knows
 * it; otherwise the zone in use stays (UTC when none) and the integration says so
 * (`timeZoneUnknown`, an `integration show` warning), since date conditions evaluated in the wrong
 * zone move contacts between views near midnight. Undefined when nothing changes.
 */
export const withAccountTimeZone = (
  integration: Integration,
  said: string | null,
  now: Date,
): Integration | undefined => {
  if (said !== null && isTimeZone(said)) {
    if (said === integration.timeZone && integration.timeZoneUnknown === undefined) return undefined;
    const { timeZoneUnknown: _known, ...rest } = integration;
    return { ...rest, timeZone: said };
  }
  if (integration.timeZoneUnknown?.said === said) return undefined;
  return {
    ...integration,
    timeZoneUnknown: { said, since: integration.timeZoneUnknown?.since ?? now.toISOString() },
  };
};

const fetchViews = async (
  deps: FetchDeps,
  job: ExportFetchJob,
  integration: Integration,
  client: ExportReader,
): Promise<FetchOutcome> => {
  const timeZone = await client.accountTimeZone();
  if (typeof timeZone === 'object' && timeZone !== null)
    return requeueLater(deps, job, timeZone.retryAfterSeconds);
  if (integration.timeZoneChosen !== true) {
    // The user may choose a zone, or delete the integration, while this run reads the account's.
    await deps.integrations.modify(integration.id, (current) =>
      current.timeZoneChosen === true ? undefined : withAccountTimeZone(current, timeZone, deps.now()),
    );
  }
  const answer = await client.views();
  if ('retryAfterSeconds' in answer) return requeueLater(deps, job, answer.retryAfterSeconds);
  // Before the tickets of this run are read: their descriptions are read for these words.
  const searchWords = descriptionSearchWords(answer.views);
  if (JSON.stringify(searchWords) !== JSON.stringify(integration.descriptionSearchWords ?? [])) {
    await deps.integrations.modify(integration.id, (current) => ({
      ...current,
      descriptionSearchWords: searchWords,
    }));
  }
  await quarantine(deps, job, integration.id, 'views', null, answer.rejected);
  const quarantinedViewIds = answer.rejected.flatMap((r) => (r.recordId === null ? [] : [r.recordId]));
  await deps.bus.sendChanges({
    version: 1,
    pageKey: pageKeyOf(
      'views',
      job.integrationId,
      answer.views,
      ...(quarantinedViewIds.length > 0 ? [quarantinedViewIds] : []),
    ),
    integrationId: job.integrationId,
    stream: 'views',
    records: answer.views,
    ...(quarantinedViewIds.length > 0 ? { quarantinedViewIds } : {}),
  });
  deps.progress(pageFetched(integration, 'views', answer.views));
  return chain(deps, job);
};

const fetchPages = async (
  deps: FetchDeps,
  job: ExportFetchJob,
  stream: CursorStream,
  integration: Integration,
  client: ExportReader,
  remainingMs: () => number,
): Promise<FetchOutcome> => {
  let talkRefused = integration.talkUnavailable !== undefined;
  // The job that carries on this one (a follow-up, a rate-limited retry): it says when the calls
  // export has answered in this run.
  let carryOn: ExportFetchJob = { ...job, malformedAttempts: undefined };
  for (;;) {
    const cursor = await deps.cursors.get(integration.id, stream);
    const position =
      cursor?.position ?? initialPosition(integration, stream, deps.settings.ticketStateWarmUpDays);
    // Read before the page: the events handed on before this read are ahead of it in the FIFO group.
    const eventsReadThrough =
      stream === 'ticket_creations' ? await storedEventsReadThrough(deps, integration.id) : undefined;
    let outcome: Awaited<ReturnType<typeof readPage>>;
    // Before the request: a page's answer without Zendesk's time is read as of this, never later.
    const askedAt = Math.floor(deps.now().getTime() / 1000);
    try {
      outcome = await readPage(client, stream, position);
    } catch (error) {
      const refusal =
        stream === 'calls' && isRunJob(job) && !carryOn.callsAnswered ? talkRefusalOf(error) : null;
      if (refusal === null) throw error;
      return withoutTalk(deps, job, integration, refusal);
    }
    if (outcome.kind === 'rate_limited')
      return requeueLater(
        deps,
        { ...carryOn, malformedAttempts: job.malformedAttempts },
        outcome.retryAfterSeconds,
      );
    if (stream === 'calls') carryOn = { ...carryOn, callsAnswered: true };
    if (stream === 'calls' && talkRefused) {
      // Zendesk answers the Talk export again: the calls are read from where they stood.
      talkRefused = false;
      await deps.integrations.modify(integration.id, ({ talkUnavailable: _gone, ...current }) => current);
      deps.logger.info('Talk calls are read again', { ...where(job) });
    }
    // Stored before the cursor moves past them: a crash in between reads the page again, and the
    // quarantine keeps the first record of each.
    await quarantine(deps, job, integration.id, stream, position, outcome.rejected);
    if (outcome.records.length > 0) {
      await handOn(deps, job, stream, position, {
        version: 1,
        pageKey: pageKeyOf(stream, integration.id, position, outcome.records, eventsReadThrough ?? null),
        integrationId: integration.id,
        stream,
        records: outcome.records,
        ...(eventsReadThrough !== undefined ? { eventsReadThrough } : {}),
      } as RecordsPage);
      deps.progress(pageFetched(integration, stream, outcome.records));
    }
    const held =
      eventsReadThrough !== undefined &&
      holdsRecords(integration, outcome.records as TicketRecord[], eventsReadThrough);
    const next: StoredPosition =
      stream === 'ticket_events' && isTimePosition(outcome.next)
        ? {
            ...outcome.next,
            readThrough: eventsReadThroughAfter(
              outcome.next,
              outcome.endOfStream,
              outcome.answeredAt ?? askedAt,
            ),
          }
        : outcome.next;
    if (!held && (JSON.stringify(next) !== JSON.stringify(position) || !cursor)) {
      await deps.cursors.advance(integration.id, stream, cursor?.seq ?? 0, next, deps.now().toISOString());
    }
    deps.logger.info('page handed on', {
      ...where(job),
      records: outcome.records.length,
      end: outcome.endOfStream,
      ...(held ? { held: true } : {}),
    });
    if (held || outcome.endOfStream || reachedImportEnd(integration, stream, outcome.records))
      return chain(deps, job);
    if (remainingMs() < deps.settings.fetchTimeBudgetMs) {
      await deps.bus.sendFetchJob(carryOn);
      return 'follow_up';
    }
  }
};

const STREAM_ENDPOINTS: Readonly<Record<CursorStream | 'views', string>> = {
  users: ENDPOINTS.users,
  tickets: ENDPOINTS.tickets,
  ticket_creations: ENDPOINTS.tickets,
  ticket_events: ENDPOINTS.ticketEvents,
  calls: ENDPOINTS.calls,
  views: ENDPOINTS.views,
};

/** The position a page was read from, without the ids known at its boundary (none for the views list). */
const pagePosition = (position: ExportPosition | null): ExportPosition | null =>
  position === null
    ? null
    : isTimePosition(position)
      ? { startTime: position.startTime }
      : { cursor: position.cursor };

type RecordsPage = Extract<ChangesMessage, { records: readonly unknown[] }>;

/**
 * Hands a page on. A record too large for a message on its own even compressed (a custom field
 * holding a pasted file, say) is quarantined like a record that does not fit, and the rest go on
 * under the page's key: one record costs one record, never the page, and a redo of the page drops
 * the same record again.
 */
const handOn = async (
  deps: FetchDeps,
  job: FetchJob,
  stream: CursorStream,
  position: ExportPosition | null,
  page: RecordsPage,
): Promise<void> => {
  let records: readonly unknown[] = page.records;
  for (;;) {
    try {
      await deps.bus.sendChanges({ ...page, records } as RecordsPage);
      return;
    } catch (error) {
      if (!(error instanceof ItemTooLargeError) || records[error.index] === undefined) throw error;
      const record = records[error.index];
      await quarantine(deps, job, page.integrationId, stream, position, [
        {
          index: error.index,
          recordId: readableId(record),
          fingerprint: fingerprintOf(record, error.index),
          field: '(record)',
          problem: `is too large to hand on: more than ${MAX_MESSAGE_BYTES / 1000} kB even compressed, the most a message between the pipeline's steps holds`,
        },
      ]);
      records = records.filter((_, i) => i !== error.index);
      if (records.length === 0) return;
    }
  }
};

const quarantine = async (
  deps: FetchDeps,
  job: FetchJob,
  integrationId: string,
  stream: CursorStream | 'views',
  position: ExportPosition | null,
  rejected: readonly RejectedRecord[],
): Promise<void> => {
  for (const record of rejected) {
    const endpoint = STREAM_ENDPOINTS[stream];
    const stored = await deps.quarantine.put(integrationId, {
      stream,
      endpoint,
      recordId: record.recordId,
      fingerprint: record.fingerprint,
      position: pagePosition(position),
      field: record.field,
      problem: record.problem,
      quarantinedAt: deps.now().toISOString(),
    });
    if (stored)
      deps.logger.warn('record quarantined', {
        ...where(job),
        endpoint,
        recordId: record.recordId,
        field: record.field,
        problem: record.problem,
      });
  }
};

const chain = async (deps: FetchDeps, job: ExportFetchJob): Promise<FetchOutcome> => {
  const next = job.chain ? nextStream(job.stream) : null;
  if (next)
    await deps.bus.sendFetchJob({
      version: 1,
      integrationId: job.integrationId,
      stream: next,
      chain: true,
      runId: job.runId,
    });
  // The run's last stream is read to its end: what a reader calls the last completed run.
  else if (job.chain) {
    await completeRun(deps, job);
    // The turn goes to the run asked for meanwhile before its job is sent: sent first, the job
    // could find the turn still this run's, queue itself again and never start. Handed on without a
    // beat, it is any start's until that job comes: a death before the send leaves nothing waiting.
    const queued = await deps.runs.finish(job.integrationId, job.runId);
    if (queued !== null) await deps.bus.sendFetchJob(importRunStart(job.integrationId, queued));
  }
  return 'end_of_stream';
};

/**
 * How long a run's turn lasts without a job of it going on: longer than the longest wait between
 * two of its jobs (a rate-limited job's delay, at most `maxRetryDelaySeconds`; a failed job's
 * redelivery, after the queue's visibility timeout; a job's own run of at most a few minutes), so
 * only a run whose jobs stopped coming is taken over.
 */
const runStaleAfterSeconds = (deps: FetchDeps): number =>
  Math.max(deps.settings.maxRetryDelaySeconds, QUEUES.fetchJobs.visibilityTimeoutSeconds) + 5 * 60;

const epochSecondsOf = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * Whether this job of a run may read (`go`): its run has the turn, or takes it. A run's first job
 * that finds another run reading asks to start after it (`queued`): that run reads every stream to
 * its end anyway, and a second reader would only race it to the same pages. A later job of a run
 * that lost its turn stops (`superseded`).
 */
const takeTurn = async (deps: FetchDeps, job: ExportFetchJob): Promise<'go' | 'queued' | 'superseded'> => {
  const now = epochSecondsOf(deps.now());
  const staleBefore = now - runStaleAfterSeconds(deps);
  // Each refusal means another fetch changed the turn meanwhile; a few rounds settle it.
  for (let round = 0; round < 5; round += 1) {
    if (await deps.runs.claim(job.integrationId, job.runId, now, staleBefore)) return 'go';
    if (job.stream !== STREAMS[0]) {
      deps.logger.info('another run has the turn; this job of an earlier run stops', { ...where(job) });
      return 'superseded';
    }
    if (await deps.runs.queue(job.integrationId, job.runId, staleBefore)) {
      deps.logger.info('import run queued behind the run reading now', { ...where(job) });
      return 'queued';
    }
  }
  throw new Error(`the import run turn of ${job.integrationId} kept changing; the job is tried again`);
};

/**
 * Records the completed run on the integration, and sends the run's end down its FIFO group behind
 * the run's pages, with how far the history is complete: the aggregator stores it for the
 * queue-history stream once it has counted everything ahead of it. Keyed by what it says, so the
 * same end sent twice is one message within SQS's deduplication window; a redelivered job's later
 * end restates it with a later time.
 */
const completeRun = async (deps: FetchDeps, job: ExportFetchJob): Promise<void> => {
  const lastCompletedRun = { runId: job.runId, at: deps.now().toISOString() };
  await deps.integrations.recordCompletedRun(job.integrationId, lastCompletedRun);
  const completeUpTo = await completeUpToIn(deps.cursors, job.integrationId);
  // Read after the calls stream settled it this run: set when Zendesk refused Talk, gone once it answered.
  const talkUnavailable = (await deps.integrations.get(job.integrationId))?.talkUnavailable;
  const freshness: HistoryFreshness = {
    completeUpTo: completeUpTo?.toISOString() ?? null,
    lastCompletedRun,
    ...(talkUnavailable ? { talkUnavailable } : {}),
  };
  await deps.bus.sendChanges({
    version: 1,
    pageKey: pageKeyOf('run_completed', job.integrationId, freshness),
    integrationId: job.integrationId,
    stream: 'run_completed',
    freshness,
  });
};

const requeueLater = async (
  deps: FetchDeps,
  job: FetchJob,
  retryAfterSeconds: number,
): Promise<FetchOutcome> => {
  const delay = Math.min(deps.settings.maxRetryDelaySeconds, Math.max(1, Math.ceil(retryAfterSeconds)));
  await deps.bus.sendFetchJob(job, delay);
  deps.logger.info('rate limited: job re-queued', { ...where(job), retryAfterSeconds, delaySeconds: delay });
  // A person watches an import's streams; a webhook's ticket is nobody's progress bar.
  if (job.stream !== 'ticket_audits')
    deps.progress({
      kind: 'rate_limited',
      integrationId: job.integrationId,
      stream: job.stream,
      delaySeconds: delay,
    });
  return 'rate_limited';
};

/**
 * How long the n-th retry of a malformed page waits (the last one for any later): at once for a
 * corruption in transit, two minutes for what Zendesk's edge answers for a while (an HTML page, a
 * body cut short), so a page is parked only after minutes of it, not seconds.
 */
const MALFORMED_RETRY_DELAYS_SECONDS = [1, 120] as const;

const malformed = async (
  deps: FetchDeps,
  job: ExportFetchJob,
  error: ZendeskPayloadError,
): Promise<FetchOutcome> => {
  const attempts = (job.malformedAttempts ?? 0) + 1;
  const reason = `${error.endpoint}: ${error.recordId === null ? 'response' : `record ${error.recordId}`}, field ${error.field}: ${error.problem}`;
  if (attempts >= deps.settings.maxMalformedAttempts) {
    // The page stays malformed: the job is parked and the integration failing until a redrive.
    deps.logger.error('malformed page parked in the dead-letter queue', { ...where(job), reason, attempts });
    await parkMessage(
      deps,
      'fetchJobs',
      { integrationId: job.integrationId, stream: job.stream },
      JSON.stringify({ ...job, malformedAttempts: undefined }),
      `a ${job.stream} page stays malformed: ${reason}`,
    );
    return 'failing';
  }
  // A one-off corruption heals on a retry; only one that stays is parked. Later retries wait
  // longer: an edge's HTML page or a deploy window outlasts a second.
  const delay = Math.min(
    deps.settings.maxRetryDelaySeconds,
    MALFORMED_RETRY_DELAYS_SECONDS[Math.min(attempts, MALFORMED_RETRY_DELAYS_SECONDS.length) - 1]!,
  );
  deps.logger.warn('malformed page: retrying', { ...where(job), reason, attempts, delaySeconds: delay });
  await deps.bus.sendFetchJob({ ...job, malformedAttempts: attempts }, delay);
  return 'malformed_page';
};
