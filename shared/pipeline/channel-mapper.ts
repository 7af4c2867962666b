import { channelOf } from '../domain/channels.js';
import { callContribution } from '../domain/counters.js';
import { detectInteraction, isOutboundCall, type InteractionVerdict } from '../domain/interactions.js';
import { talkQueue } from '../domain/queues.js';
import type { CallRecord, TicketEventRecord, TicketRecord } from '../domain/records.js';
import { answerWaitSeconds, isHandled, isInbound, serviceLevelSecondsOf } from '../domain/talk.js';
import type { ChangesMessage } from '../messages/changes.js';
import type { CallFact } from '../messages/contacts.js';
import type { CreationVerdict, UpdateVerdict } from '../messages/outcomes.js';
import type { NormalisedUpdate, TicketRecordUpdate } from '../messages/updates.js';
import type { MessageBus } from '../messages/bus.js';
import type { Integration, IntegrationsRepository } from '../store/integrations-repository.js';
import type { UsersRepository } from '../store/users-repository.js';
import type { PipelineLogger, ZendeskFactory } from './deps.js';
import type { Grants } from './grants.js';
import { ZendeskRateLimitedError } from './rate-limited.js';
import type { RateLimited } from '../zendesk/api.js';
import { SHOW_MANY_LIMIT } from '../zendesk/client.js';

/**
 * The channel mapper: one export page in, normalised work out.
 * - users: their roles are stored (the next pages' comments are judged by them);
 * - views: passed on to the view classifier, which owns verdicts and replays;
 * - ticket events: each gets its verdict (interaction and channel, or the reason it is none);
 *   those before the import window (the fetch's warm-up) are marked to build ticket state only;
 *   a webhook's ticket read now (its audits) alike, passed on with its record;
 * - ticket records (both passes of the tickets export): passed on to the view classifier, each
 *   with the verdict of its creation should it be counted from the record (its `via.channel`);
 * - calls: each becomes its Talk contact fact, straight to the aggregator.
 * - the end of a run: passed on to the view classifier, never straight to the aggregator: behind the
 *   run's ticket work in updates.fifo it reaches contacts.fifo after every fact of the run (the
 *   calls, sent straight there, are already ahead of it).
 * Everything leaves with a key derived from the page's key, so a repeated page repeats its output.
 */
export interface ChannelMapperDeps {
  readonly integrations: Pick<IntegrationsRepository, 'get'>;
  readonly users: Pick<UsersRepository, 'roles' | 'upsert'>;
  readonly bus: Pick<MessageBus, 'sendUpdates' | 'sendContacts'>;
  /** Show Many Users, for comment authors the user export has not delivered yet. */
  readonly zendesk: ZendeskFactory<'usersByIds'>;
  readonly logger: PipelineLogger;
}

/**
 * The channel mapper's AWS actions. Its Zendesk client reads the integration's credentials, and
 * rewrites them when an OAuth refresh token rotates during a look-up.
 */
export const CHANNEL_MAPPER_GRANTS: Grants = {
  consumes: 'changes',
  tables: { integrations: ['GetItem'], users: ['BatchGetItem', 'BatchWriteItem'] },
  sendsTo: ['updates', 'contacts'],
  secrets: { credentials: 'readAndRotate' },
};

export const mapChanges = async (deps: ChannelMapperDeps, message: ChangesMessage): Promise<void> => {
  const integration = await deps.integrations.get(message.integrationId);
  if (!integration) {
    deps.logger.warn('page of an unknown integration dropped', { integrationId: message.integrationId });
    return;
  }
  switch (message.stream) {
    case 'users': {
      const written = await deps.users.upsert(integration.id, message.records);
      deps.logger.info('users stored', {
        integrationId: integration.id,
        users: message.records.length,
        written,
      });
      return;
    }
    case 'views':
      await deps.bus.sendUpdates({
        version: 2,
        pageKey: message.pageKey,
        integrationId: integration.id,
        type: 'views',
        views: message.records,
        ...(message.quarantinedViewIds ? { quarantinedViewIds: message.quarantinedViewIds } : {}),
      });
      return;
    case 'ticket_events':
      await deps.bus.sendUpdates({
        version: 2,
        pageKey: message.pageKey,
        integrationId: integration.id,
        type: 'ticket_updates',
        updates: await normalise(
          deps,
          integration,
          message.records.filter((e) => beforeImportEnd(integration, e.createdAt)),
        ),
      });
      return;
    case 'ticket_audits':
      // Judged as the export's events are: the same updates get the same verdicts from either source.
      await deps.bus.sendUpdates({
        version: 2,
        pageKey: message.pageKey,
        integrationId: integration.id,
        type: 'ticket_audits',
        ticketId: message.ticketId,
        updates: await normalise(
          deps,
          integration,
          message.records.filter((e) => beforeImportEnd(integration, e.createdAt)),
        ),
        record: message.record,
      });
      return;
    case 'tickets':
    case 'ticket_creations':
      await deps.bus.sendUpdates({
        version: 2,
        pageKey: message.pageKey,
        integrationId: integration.id,
        type: 'ticket_records',
        records: message.records.map(recordUpdate),
        ...(message.stream === 'ticket_creations' ? { eventsReadThrough: message.eventsReadThrough } : {}),
      });
      return;
    case 'calls': {
      // The Talk export follows updated_at, so a call that started before the import window comes
      // back when its record is updated inside it (wrap-up). It belongs to no imported interval:
      // counting it would publish a partial interval before the window.
      const inWindow = message.records.filter(
        (call) =>
          Date.parse(call.createdAt) >= Date.parse(integration.importFrom) &&
          beforeImportEnd(integration, call.createdAt),
      );
      if (inWindow.length < message.records.length)
        deps.logger.info('calls from before the import window ignored', {
          integrationId: integration.id,
          calls: message.records.length - inWindow.length,
        });
      await deps.bus.sendContacts({
        version: 2,
        pageKey: message.pageKey,
        integrationId: integration.id,
        facts: inWindow.flatMap((call) => callFacts(integration, call)),
      });
      return;
    }
    case 'run_completed':
      await deps.bus.sendUpdates({
        version: 2,
        pageKey: message.pageKey,
        integrationId: integration.id,
        type: 'run_completed',
        freshness: message.freshness,
      });
      return;
  }
};

const recordUpdate = (record: TicketRecord): TicketRecordUpdate => ({
  record,
  creation: recordCreationVerdictOf(record),
});

/**
 * A creation counted from the record is one in the channel its record names (`via.channel`), unless
 * an agent's outbound call made it (`via.source.rel`).
 */
export const recordCreationVerdictOf = (record: TicketRecord): CreationVerdict =>
  creationVerdictOf(record.channel, isOutboundCall(record.channel, record.rel));

/**
 * The verdict of a creation through `viaChannel`: counted in its WFM channel, or unmapped under its
 * name; skipped when an agent's outbound call made it (the integration imports incoming calls only).
 */
export const creationVerdictOf = (viaChannel: string | null, outboundCall = false): CreationVerdict => {
  if (outboundCall) return { kind: 'skipped', reason: 'outbound_call' };
  const channel = channelOf(viaChannel);
  return channel === 'unmapped'
    ? { kind: 'unmapped', interaction: 'creation', viaChannel }
    : { kind: 'counted', interaction: 'creation', channel, viaChannel };
};

/** An import of a past period (`importUntil`) counts nothing from its end on; a current one counts all. */
const beforeImportEnd = (integration: Integration, at: string): boolean =>
  integration.importUntil === undefined || Date.parse(at) < Date.parse(integration.importUntil);

const authorsOf = (events: readonly TicketEventRecord[]): number[] => [
  ...new Set(
    events.flatMap((e) => [
      e.updaterId,
      ...e.children.flatMap((c) => (c.kind === 'Comment' ? [c.authorId] : [])),
    ]),
  ),
];

const commentAuthorsOf = (events: readonly TicketEventRecord[]): Set<number> =>
  new Set(events.flatMap((e) => e.children.flatMap((c) => (c.kind === 'Comment' ? [c.authorId] : []))));

/** Thrown to retry the page later: Zendesk rate-limited the look-up of unknown comment authors. */
export class AuthorLookupRateLimitedError extends ZendeskRateLimitedError {
  override readonly name = 'AuthorLookupRateLimitedError';
  constructor(refusal: RateLimited) {
    super(refusal.retryAfterSeconds, 'looking up comment authors', refusal.cause);
  }
}

/**
 * Roles of everyone the page names. A comment author the user export has not delivered yet (a
 * customer who signed up after this run read the users stream) is looked up by id and stored, so
 * their comment is judged by their real role instead of being skipped as `unknown_author`.
 */
const rolesFor = async (
  deps: ChannelMapperDeps,
  integration: Integration,
  events: readonly TicketEventRecord[],
) => {
  const roles = await deps.users.roles(integration.id, authorsOf(events));
  const missing = [...commentAuthorsOf(events)].filter((id) => id > 0 && !roles.has(id));
  if (missing.length === 0) return roles;
  const client = await deps.zendesk(integration);
  let found = 0;
  // One request's worth at a time, each stored before the next: when Zendesk refuses one, the
  // page's next delivery finds the authors already looked up in the users table and asks for the rest.
  for (let i = 0; i < missing.length; i += SHOW_MANY_LIMIT) {
    const users = await client.usersByIds(missing.slice(i, i + SHOW_MANY_LIMIT));
    if (!Array.isArray(users)) throw new AuthorLookupRateLimitedError(users);
    await deps.users.upsert(integration.id, users);
    for (const user of users) roles.set(user.id, user.role);
    found += users.length;
  }
  deps.logger.info('comment authors looked up', {
    integrationId: integration.id,
    asked: missing.length,
    found,
  });
  return roles;
};

const normalise = async (
  deps: ChannelMapperDeps,
  integration: Integration,
  events: readonly TicketEventRecord[],
): Promise<NormalisedUpdate[]> => {
  const windowStart = Date.parse(integration.importFrom);
  const isWarmUp = (event: TicketEventRecord) => Date.parse(event.createdAt) < windowStart;
  const roles = await rolesFor(
    deps,
    integration,
    events.filter((e) => !isWarmUp(e)),
  );
  return events.map((event): NormalisedUpdate =>
    isWarmUp(event)
      ? { event, verdict: { kind: 'warm_up' } }
      : {
          event,
          verdict: verdictOf(detectInteraction(event, (id) => roles.get(id))),
          authorRole: roles.get(authorOf(event)) ?? null,
        },
  );
};

/** Who wrote an update, as `explain` shows it: its first comment's author, else the updater. */
export const authorOf = (event: TicketEventRecord): number => {
  const comment = event.children.find((c) => c.kind === 'Comment');
  return comment?.kind === 'Comment' ? comment.authorId : event.updaterId;
};

/**
 * The domain's verdict on an update as the message carries it: an interaction is counted in its
 * WFM channel or, when the channel table does not know its Zendesk channel, unmapped under that
 * name; anything else is skipped with its reason.
 */
export const verdictOf = (verdict: InteractionVerdict): UpdateVerdict => {
  if (verdict.kind === 'none') return { kind: 'skipped', reason: verdict.reason };
  const { kind: interaction, viaChannel, channel } = verdict;
  return channel === 'unmapped'
    ? { kind: 'unmapped', interaction, viaChannel }
    : { kind: 'counted', interaction, channel, viaChannel };
};

/**
 * A call's fact: its contribution to its Talk queue (none when outbound) and its coverage outcome,
 * versioned by the call's `updatedAt` so a later version of the call replaces the earlier one.
 */
export const callFacts = (integration: Integration, call: CallRecord): CallFact[] => {
  const [contribution] = callContribution(
    call,
    integration.groupingStrategy,
    integration.intervalMinutes,
    serviceLevelSecondsOf(integration),
  );
  const queue = isInbound(call) ? talkQueue(call, integration.groupingStrategy) : undefined;
  return [
    {
      kind: 'call',
      callId: call.id,
      updatedAt: new Date(call.updatedAt).toISOString(),
      contribution:
        contribution && queue
          ? {
              queue: { id: queue.id, name: queue.name, channel: queue.channel, source: queue.source },
              intervalStart: contribution.intervalStart,
              contacts: contribution.contacts,
              handled: contribution.handled,
              handleSeconds: contribution.handleSeconds,
              ...(contribution.talk ? { talk: contribution.talk } : {}),
            }
          : null,
      outcome: queue ? { kind: 'counted' } : { kind: 'skipped', reason: 'outbound' },
      call: {
        startedAt: new Date(call.createdAt).toISOString(),
        direction: call.direction,
        ivrDestinationGroupName: call.ivrDestinationGroupName,
        phoneNumber: call.phoneNumber,
        handled: isHandled(call),
        talkSeconds: call.talkTime ?? 0,
        holdSeconds: call.holdTime ?? 0,
        wrapUpSeconds: call.wrapUpTime ?? 0,
        waitSeconds: answerWaitSeconds(call),
        completionStatus: call.completionStatus,
        callback: call.callback,
      },
    },
  ];
};
