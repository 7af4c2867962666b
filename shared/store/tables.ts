/**
 * The DynamoDB tables of zendesk-wfm, as plain data.
 *
 * This is the single source of truth for key schemas, streams and TTL: the CDK storage construct
 * (infra/) and the embedded stand-in (local/) both build their tables from these objects,
 * so local mode and AWS cannot drift. Every table uses a string partition key `pk` and, where it
 * has one, a string sort key `sk`; the value layout of each is documented once, at the top of the
 * repository class that owns the table (shared/store/*-repository.ts).
 */
export type TableKey =
  | 'integrations'
  | 'cursors'
  | 'views'
  | 'users'
  | 'ticketState'
  | 'interactions'
  | 'contactFacts'
  | 'queueHistory'
  | 'queueCatalog'
  | 'coverage'
  | 'appliedMarkers'
  | 'deliveries';

export interface TableDefinition {
  readonly key: TableKey;
  /** Physical name in local mode; on AWS CloudFormation names the table and passes it in `envVar`. */
  readonly localName: string;
  /** Environment variable through which a Lambda learns the table's name. */
  readonly envVar: string;
  readonly sortKey: boolean;
  readonly stream?: 'NEW_AND_OLD_IMAGES';
  /** Attribute holding an epoch-seconds expiry, when the table's items expire. */
  readonly ttlAttribute?: string;
  /** Holds what a user cannot rebuild from Zendesk (history, configuration): retained on stack deletion. */
  readonly retain: boolean;
  readonly description: string;
}

const table = (
  key: TableKey,
  slug: string,
  props: Omit<TableDefinition, 'key' | 'localName' | 'envVar'>,
): TableDefinition => ({
  key,
  localName: `zendesk-wfm-${slug}`,
  envVar: `${slug.toUpperCase().replace(/-/g, '_')}_TABLE`,
  ...props,
});

export const TABLES: Readonly<Record<TableKey, TableDefinition>> = {
  integrations: table('integrations', 'integrations', {
    sortKey: false,
    retain: true,
    description: 'integration configuration and status (never credentials)',
  }),
  cursors: table('cursors', 'cursors', {
    sortKey: true,
    retain: true,
    description:
      'per-integration export positions, advanced only forward, and the records the exports quarantined',
  }),
  views: table('views', 'views', {
    sortKey: true,
    retain: true,
    description: 'view definitions with their support verdict and reasons',
  }),
  users: table('users', 'users', {
    sortKey: true,
    retain: false,
    description: 'user roles, to tell end users from agents',
  }),
  ticketState: table('ticketState', 'ticket-state', {
    sortKey: true,
    // Only what the audits told a page expires; the states carry no expiry.
    ttlAttribute: 'expiresAt',
    retain: false,
    description: 'latest reconstructed state per ticket',
  }),
  interactions: table('interactions', 'interactions', {
    sortKey: true,
    retain: true,
    description: 'every interaction with the ticket state right after it: replayed for new views',
  }),
  contactFacts: table('contactFacts', 'contact-facts', {
    sortKey: true,
    retain: true,
    description: 'what each call contributes to which interval, so a later version replaces it',
  }),
  queueHistory: table('queueHistory', 'queue-history', {
    sortKey: true,
    stream: 'NEW_AND_OLD_IMAGES',
    retain: true,
    description: 'per-queue per-interval counters; its stream feeds the forecaster',
  }),
  queueCatalog: table('queueCatalog', 'queue-catalog', {
    sortKey: true,
    retain: true,
    description:
      'every published queue of an integration (name, channel, source, view), to read histories back',
  }),
  coverage: table('coverage', 'coverage', {
    sortKey: true,
    retain: true,
    description: 'per-integration counts of what was seen, counted and skipped (with reasons)',
  }),
  appliedMarkers: table('appliedMarkers', 'applied-markers', {
    sortKey: false,
    ttlAttribute: 'expiresAt',
    retain: false,
    description: 'guards committed with counter updates so that a redelivered batch is applied once',
  }),
  deliveries: table('deliveries', 'deliveries', {
    sortKey: false,
    ttlAttribute: 'expiresAt',
    retain: false,
    description:
      'the receives of a queued message that waited for Zendesk’s rate limit, which are not failures',
  }),
};

export const ALL_TABLES: readonly TableDefinition[] = Object.values(TABLES);

/** Table names as the running code sees them: from the environment on AWS, local names otherwise. */
export type TableNames = Readonly<Record<TableKey, string>>;

export const localTableNames = (): TableNames =>
  Object.fromEntries(ALL_TABLES.map((t) => [t.key, t.localName])) as Record<TableKey, string>;

export const tableNamesFromEnv = (env: NodeJS.ProcessEnv = process.env): TableNames => {
  const missing = ALL_TABLES.filter((t) => !env[t.envVar]).map((t) => t.envVar);
  if (missing.length > 0) throw new Error(`Missing table environment variables: ${missing.join(', ')}`);
  return Object.fromEntries(ALL_TABLES.map((t) => [t.key, env[t.envVar] as string])) as Record<
    TableKey,
    string
  >;
};
