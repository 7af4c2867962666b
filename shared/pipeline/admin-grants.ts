/**
 * What the operator's side may call on AWS, declared once: the integration service (creating,
 * changing, pausing, resuming and deleting integrations, shared/pipeline/integrations.ts) and the
 * redrive of parked work on AWS (infra/redrive.ts; locally, dead letters are moved inside the SQS
 * emulator by local/dead-letters.ts with the stack's own clients, as no AWS policy applies there). The CDK stack builds its IntegrationAdminPolicy from
 * this declaration (infra/pipeline-stack.ts), and local mode runs the integration service with
 * clients that refuse every call outside it (local/pipeline.ts, `admin`), as it runs each function
 * with its own grants: a change of the integration service that needs a new action fails locally
 * before a deployed one is refused.
 */
import { ALL_QUEUES, type QueueKey } from '../messages/queues.js';
import type { TableKey } from '../store/tables.js';
import type { TableAction } from './grants.js';

export interface AdminGrants {
  /**
   * Integrations by id, listed by Scan; a change is a targeted UpdateItem. A create and a delete
   * also put and delete a name's claim and the id's mark of unconfirmed secrets (PutItem,
   * DeleteItem), and a sweep of those marks claims one with UpdateItem.
   */
  readonly integrations: readonly TableAction[];
  /**
   * What `integration show` reads of an integration's progress (infra/show-integration.ts): how far
   * its history is counted, from the cursors and the queue history (`countedUpTo`).
   */
  readonly reads: Readonly<Partial<Record<TableKey, readonly TableAction[]>>>;
  /** A resume enqueues a fetch at once. */
  readonly sendsTo: readonly QueueKey[];
  /** Queues whose redrive policy it reads and to which it moves dead letters back. */
  readonly redrivesTo: readonly QueueKey[];
  /** The actions on each of those queues' dead-letter queue. */
  readonly deadLetterActions: readonly string[];
  /** The Zendesk credentials and the webhook signing secrets, by prefix. */
  readonly secretActions: readonly string[];
}

export const INTEGRATION_ADMIN_GRANTS: AdminGrants = {
  integrations: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'],
  reads: { cursors: ['GetItem'], queueHistory: ['GetItem'] },
  sendsTo: ['fetchJobs'],
  redrivesTo: ALL_QUEUES.map((q) => q.key),
  deadLetterActions: [
    'GetQueueUrl',
    'GetQueueAttributes',
    'StartMessageMoveTask',
    'ListMessageMoveTasks',
    'ReceiveMessage',
    'DeleteMessage',
  ],
  secretActions: ['CreateSecret', 'PutSecretValue', 'DeleteSecret', 'GetSecretValue'],
};
