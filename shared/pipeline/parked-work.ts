/**
 * Work that cannot be done is parked, never dropped, and never silent (SPEC §8).
 *
 * A message that fails its last allowed delivery (shared/pipeline/failed-deliveries.ts) is put in
 * its queue's dead-letter queue by the consumer itself, with the reason, and its integration is marked failing with that reason and what
 * the message concerns: the user sees it in `integration list`, and the command exits non-zero.
 *
 * Order matters downstream of a parked page: the view classifier skips an update the ticket's
 * stored state already reflects, so a later page processed past a parked one would make the parked
 * page's updates look old when it is redriven, and they would never be counted. So while an
 * integration has parked work in a queue, every later message of that integration in the same queue
 * is parked behind it, in order; the redrive puts them all back, in order, once the cause is fixed.
 * Messages of other integrations, and of the same integration in other queues, go on.
 */
import type { QueueKey } from '../messages/queues.js';
import { STAGE } from './progress.js';
import type { Grants } from './grants.js';
import type {
  FailureKind,
  Integration,
  IntegrationsRepository,
  ParkedWork,
} from '../store/integrations-repository.js';
import type { DeadLetters, PipelineLogger } from './deps.js';

export interface ParkedWorkDeps {
  readonly integrations: Pick<IntegrationsRepository, 'get' | 'modify'>;
  readonly deadLetters: DeadLetters;
  readonly now: () => Date;
  readonly logger: PipelineLogger;
}

/**
 * What parking needs on AWS beyond a consumer's own grants: reading the integration (is it held?)
 * and updating it (marked failing), and counting a message's failed deliveries (the deliveries
 * table: shared/pipeline/failed-deliveries.ts). The dead-letter queue itself comes with `consumes`.
 */
export const withParkedWork = (grants: Grants): Grants => ({
  ...grants,
  tables: {
    ...grants.tables,
    integrations: [...new Set([...(grants.tables.integrations ?? []), 'GetItem', 'UpdateItem'] as const)],
    deliveries: ['GetItem', 'UpdateItem'],
  },
});

/** What a message is about, for a person: the stream and page it carries. */
export interface MessageSubject {
  readonly integrationId: string;
  readonly stream?: string;
  readonly pageKey?: string;
  readonly type?: string;
}

export const describeSubject = (subject: MessageSubject): string =>
  [
    subject.stream !== undefined ? `the ${subject.stream} stream` : undefined,
    subject.type !== undefined ? `${subject.type} message` : undefined,
    subject.pageKey !== undefined ? `page ${subject.pageKey}` : undefined,
  ]
    .filter((p) => p !== undefined)
    .join(', ') || 'a message';

export const isHeldIn = (integration: Integration | undefined, queue: QueueKey): boolean =>
  (integration?.parked ?? []).some((p) => p.queue === queue);

export const parkedReason = (parked: readonly ParkedWork[]): string =>
  parked
    .map(
      (p) =>
        `the import stopped at ${STAGE[p.queue]} since ${p.since}: ${p.reason} (${p.concerns}); ` +
        'its work is kept: fix the cause, then run `zendesk-wfm redrive`',
    )
    .join('; ');

/** Records parked work on the integration (failing, with the reason), then parks the message. */
export const parkMessage = async (
  deps: ParkedWorkDeps,
  queue: QueueKey,
  subject: MessageSubject,
  body: string,
  reason: string,
  kind: FailureKind = 'work_failed',
): Promise<void> => {
  let marked = false;
  // Marked first: a crash before the message is parked redelivers it, and it is parked then.
  const stored = await deps.integrations.modify(subject.integrationId, (integration) => {
    marked = !isHeldIn(integration, queue);
    if (!marked) return undefined;
    const now = deps.now().toISOString();
    const parked = [
      ...(integration.parked ?? []),
      {
        queue,
        reason: reason.slice(0, 500),
        concerns: describeSubject(subject),
        since: now,
      },
    ];
    return {
      ...integration,
      status: 'failing',
      statusReason: parkedReason(parked),
      // The first failure says what kind it is: later work of other stages fails behind it.
      failure: integration.failure ?? { kind, since: now },
      parked,
      updatedAt: now,
    };
  });
  // Not when a first try marked it and the integration was deleted before the write.
  if (marked && stored !== undefined) {
    deps.logger.error('work parked; integration marked failing', {
      integrationId: subject.integrationId,
      queue,
      reason: reason.slice(0, 500),
    });
  }
  await deps.deadLetters.park(queue, body, reason, subject.integrationId);
};

/**
 * Makes integrations with parked work active again (on AWS and locally), before their parked
 * messages are put back: a moved message must not find its integration still held. Returns them.
 *
 * `holdNewRuns` (AWS, where SQS moves the messages while everything else runs): each is marked
 * `redriving`, so no new run starts until `endRedrive`, and one a redrive left marked (it stopped
 * before its moves were done) is taken up again.
 */
export const clearParkedHolds = async (
  integrations: Pick<IntegrationsRepository, 'get' | 'list' | 'modify'>,
  now: () => Date,
  integrationId?: string,
  { holdNewRuns = false }: { readonly holdNewRuns?: boolean } = {},
): Promise<Integration[]> => {
  const candidates =
    integrationId !== undefined
      ? [await integrations.get(integrationId)].filter((i) => i !== undefined)
      : await integrations.list();
  const cleared: Integration[] = [];
  // Failing for another reason (refused credentials) is not a redrive's to clear.
  const isRedriven = (i: Integration) =>
    i.status !== 'deleted' && ((i.parked ?? []).length > 0 || (holdNewRuns && i.redriving !== undefined));
  for (const candidate of candidates.filter(isRedriven)) {
    let clearedNow = false;
    const stored = await integrations.modify(candidate.id, (integration) => {
      clearedNow = isRedriven(integration);
      if (!clearedNow) return undefined;
      const at = now().toISOString();
      const redriving = holdNewRuns ? { redriving: integration.redriving ?? { since: at } } : {};
      // Only a hold makes it active again: one a stopped redrive left marked and that has been
      // paused since, or refused its credentials, stays as it is.
      if ((integration.parked ?? []).length === 0) return { ...integration, ...redriving, updatedAt: at };
      const { parked: _parked, failure: _failure, ...rest } = integration;
      return { ...rest, status: 'active', statusReason: null, ...redriving, updatedAt: at };
    });
    if (stored && clearedNow) cleared.push(stored);
  }
  return cleared;
};

/** Lets new runs of these integrations start again: their parked work is back in its queues. */
export const endRedrive = async (
  integrations: Pick<IntegrationsRepository, 'modify'>,
  integrationIds: readonly string[],
  now: () => Date,
): Promise<void> => {
  for (const id of integrationIds) {
    await integrations.modify(id, (integration) => {
      if (integration.redriving === undefined) return undefined;
      const { redriving: _done, ...rest } = integration;
      return { ...rest, updatedAt: now().toISOString() };
    });
  }
};

/** Whether new runs of an integration may start: it is active, and no redrive is moving its parked work. */
export const startsRuns = (integration: Integration): boolean =>
  integration.status === 'active' && integration.redriving === undefined;
