import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TicketState } from '../domain/ticket-state.js';
import type { QueueKey } from '../messages/queues.js';
import type { StoredTicketState } from './view-classifier.js';
import type { ParkedWorkDeps } from './parked-work.js';
import type { MessageVisibility } from '../messages/visibility.js';
import { AppliedWrites } from '../store/applied-writes.js';
import { ContactFactsRepository } from '../store/contact-facts-repository.js';
import { CoverageRepository } from '../store/coverage-repository.js';
import { CursorsRepository } from '../store/cursors-repository.js';
import { DeliveriesRepository, type DeliveryHistory } from '../store/deliveries-repository.js';
import { ImportRunsRepository } from '../store/import-runs-repository.js';
import { IntegrationsRepository, type Integration } from '../store/integrations-repository.js';
import { InteractionsRepository } from '../store/interactions-repository.js';
import { QueueCatalogRepository } from '../store/queue-catalog-repository.js';
import { QueueHistoryRepository } from '../store/queue-history-repository.js';
import { QuarantineRepository } from '../store/quarantine-repository.js';
import type { TableNames } from '../store/tables.js';
import { TicketStateRepository } from '../store/ticket-state-repository.js';
import { UsersRepository } from '../store/users-repository.js';
import { ViewsRepository } from '../store/views-repository.js';
import type { ZendeskClient } from '../zendesk/client.js';

/**
 * Every repository over one DynamoDB client: what the operator's side of local mode (the CLI's
 * reports, the tests' read-backs; the integration service over its admin-checked client) works with. No use case of a function
 * takes it: each declares the narrow slice it uses (its `*Deps` interface, beside its grants).
 */
export interface Repositories {
  readonly integrations: IntegrationsRepository;
  readonly cursors: CursorsRepository;
  readonly runs: ImportRunsRepository;
  readonly quarantine: QuarantineRepository;
  readonly views: ViewsRepository;
  readonly users: UsersRepository;
  readonly ticketState: TicketStateRepository<StoredTicketState>;
  readonly interactions: InteractionsRepository<TicketState>;
  readonly facts: ContactFactsRepository;
  readonly queueHistory: QueueHistoryRepository;
  readonly catalog: QueueCatalogRepository;
  readonly coverage: CoverageRepository;
  readonly applied: AppliedWrites;
  readonly deliveries: DeliveriesRepository;
}

export const repositories = (db: DynamoDBDocumentClient, tables: TableNames): Repositories => ({
  integrations: new IntegrationsRepository(db, tables.integrations),
  cursors: new CursorsRepository(db, tables.cursors),
  runs: new ImportRunsRepository(db, tables.integrations),
  quarantine: new QuarantineRepository(db, tables.cursors),
  views: new ViewsRepository(db, tables.views),
  users: new UsersRepository(db, tables.users),
  ticketState: new TicketStateRepository<StoredTicketState>(db, tables.ticketState),
  interactions: new InteractionsRepository<TicketState>(db, tables.interactions),
  facts: new ContactFactsRepository(db, tables.contactFacts),
  queueHistory: new QueueHistoryRepository(db, tables.queueHistory),
  catalog: new QueueCatalogRepository(db, tables.queueCatalog),
  coverage: new CoverageRepository(db, tables.coverage),
  applied: new AppliedWrites(db, tables.appliedMarkers),
  deliveries: new DeliveriesRepository(db, tables.deliveries),
});

/** The slice of the Zendesk client the pipeline uses (the tests substitute it). */
export type ZendeskReader = Pick<
  ZendeskClient,
  | 'ticketEvents'
  | 'tickets'
  | 'users'
  | 'calls'
  | 'views'
  | 'accountTimeZone'
  | 'ticketAudits'
  | 'ticketsByIds'
  | 'usersByIds'
  | 'checkCredentials'
>;

/**
 * Builds (or reuses) the Zendesk client of an integration; its rate-limit budget lives as long as
 * it does. A use case names the calls it makes (`ZendeskFactory<'usersByIds'>`).
 */
export type ZendeskFactory<K extends keyof ZendeskReader = keyof ZendeskReader> = (
  integration: Integration,
) => Promise<Pick<ZendeskReader, K>>;

/** Where a message that can never succeed is parked, with the reason, without burning retries. */
export interface DeadLetters {
  /** Whether `queue` has a dead-letter queue to park in (otherwise SQS's redrive does it, later). */
  canPark(queue: QueueKey): boolean;
  park(queue: QueueKey, body: string, reason: string, groupId?: string): Promise<void>;
}

export interface PipelineLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface PipelineSettings {
  /** Longest delay of a re-queued fetch job (SQS: 900 s). */
  readonly maxRetryDelaySeconds: number;
  /** Below this much remaining invocation time the fetch handler hands on to a follow-up job. */
  readonly fetchTimeBudgetMs: number;
  /** Interactions per view-replay message. */
  readonly replayPageSize: number;
  /** Payload failures of one stream position before the integration is marked failing. */
  readonly maxMalformedAttempts: number;
  /**
   * Days of ticket events read before the import window, applied to ticket state only. A ticket
   * created in them needs no audits request; only tickets older than that do (SPEC §4).
   */
  readonly ticketStateWarmUpDays: number;
}

export const DEFAULT_SETTINGS: PipelineSettings = {
  maxRetryDelaySeconds: 900,
  // A page's request may take its whole 30 s timeout and still leave the 10 s the work needs after
  // its last request (shared/pipeline/time-left.ts), with a margin.
  fetchTimeBudgetMs: 45_000,
  replayPageSize: 500,
  maxMalformedAttempts: 3,
  // Most tickets are solved within days: a week's export pages (about 2% of a year's import) spare
  // one audits request for nearly every ticket open when the window starts.
  ticketStateWarmUpDays: 7,
};

/**
 * The receives of a message in which it waited instead of failing (shared/pipeline/failed-deliveries.ts),
 * by queue and SQS message id.
 */
export interface DeliveryLog {
  recordRateLimited(
    queue: QueueKey,
    messageId: string,
    receiveCount: number,
    at: Date,
  ): Promise<DeliveryHistory>;
  recordWaitedBehind(queue: QueueKey, messageId: string, receiveCount: number): Promise<void>;
  history(queue: QueueKey, messageId: string): Promise<DeliveryHistory>;
}

/**
 * What the SQS consumer wiring of every queue-triggered function needs (lambdas/runtime.ts):
 * parking malformed messages, delaying rate-limited ones, counting failed deliveries, logging.
 */
export interface ConsumerDeps {
  readonly deadLetters: DeadLetters;
  readonly visibility: MessageVisibility;
  readonly deliveries: DeliveryLog;
  readonly logger: PipelineLogger;
  /** Parks a message that fails its last delivery, and those of its integration behind it. */
  readonly parkedWork: ParkedWorkDeps;
}
