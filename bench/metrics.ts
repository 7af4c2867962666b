import os from 'node:os';
import v8 from 'node:v8';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import type { PipelineHandlers, QueueHandler } from '../local/runner.js';
import type { QueueKey } from '../shared/messages/queues.js';
import type { ZendeskFactory, ZendeskReader } from '../shared/pipeline/deps.js';
import type { SecretStore } from '../shared/store/secret-store.js';
import { billedSqsRequests } from './aws-cost.js';
import { itemSizeBytes, writeUnitsOfBytes } from '../shared/store/item-size.js';

/** DynamoDB items written and read, by command, as the client sends them (retries of unprocessed items included). */
export interface DynamoDbCounts {
  writes: number;
  reads: number;
  /** Write and read request units as DynamoDB bills them (see `requestUnitsOf`). */
  writeUnits: number;
  readUnits: number;
  readonly writesByCommand: Record<string, number>;
  readonly requestsByCommand: Record<string, number>;
  /** Items written and read, and the request units they consumed, per table. */
  readonly byTable: Record<string, TableCounts>;
}

export interface TableCounts {
  writes: number;
  reads: number;
  writeUnits: number;
  readUnits: number;
}

interface WriteInput {
  readonly TableName?: string;
  readonly ConsistentRead?: boolean;
  readonly RequestItems?: Record<string, readonly unknown[] | { readonly Keys?: readonly unknown[] }>;
  readonly TransactItems?: readonly Record<string, unknown>[];
}

/** Items a command writes: each Put/Update/Delete, each item of a BatchWrite, each write action of a TransactWrite. */
const writesOf = (command: string, input: WriteInput): number => {
  switch (command) {
    case 'PutItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return 1;
    case 'BatchWriteItemCommand':
      return Object.values(input.RequestItems ?? {}).reduce(
        (n, requests) => n + (Array.isArray(requests) ? requests.length : 0),
        0,
      );
    case 'TransactWriteItemsCommand':
      return (input.TransactItems ?? []).filter((a) => a.Put ?? a.Update ?? a.Delete).length;
    default:
      return 0;
  }
};

/** Items per table a command writes and reads. */
const perTable = (command: string, input: WriteInput): [string, number, number][] => {
  if (input.TableName) return [[input.TableName, writesOf(command, input), readsOf(command, input)]];
  if (input.RequestItems)
    return Object.entries(input.RequestItems).map(([table, request]) =>
      Array.isArray(request)
        ? [table, request.length, 0]
        : [table, 0, 'Keys' in request ? (request.Keys?.length ?? 0) : 0],
    );
  return (input.TransactItems ?? []).flatMap((action) => {
    const inner = (action.Put ?? action.Update ?? action.Delete) as { TableName?: string } | undefined;
    return inner?.TableName ? [[inner.TableName, 1, 0] as [string, number, number]] : [];
  });
};

const readsOf = (command: string, input: WriteInput): number => {
  switch (command) {
    case 'GetItemCommand':
      return 1;
    case 'BatchGetItemCommand':
      return Object.values(input.RequestItems ?? {}).reduce(
        (n, request) => n + ('Keys' in request ? (request.Keys?.length ?? 0) : 0),
        0,
      );
    default:
      return 0;
  }
};

/** Commands that read or write items, which DynamoDB answers with the capacity they consumed. */
const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const READ_COMMANDS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);

interface TableCapacity {
  readonly TableName?: string;
  readonly CapacityUnits?: number;
}
type ConsumedCapacity = TableCapacity | readonly TableCapacity[];

/** A write action of a TransactWriteItems request as sent (its items marshalled). */
export interface TransactAction {
  readonly Put?: { readonly TableName?: string; readonly Item?: Record<string, AttributeValue> };
  readonly Update?: { readonly TableName?: string };
  readonly Delete?: { readonly TableName?: string };
  readonly ConditionCheck?: { readonly TableName?: string };
}

/**
 * A transaction's write units per table as AWS bills them: twice the units of each item it
 * writes, a unit per started KB of the item put. DynamoDB Local's own answer cannot be used (it
 * reports, per table, the doubled units of one item, whatever their number). An update, delete or
 * condition check is counted at one unit, twice: the item's size is not in the request, and the
 * pipeline's transactions are puts; only the operator's integration commands update in one.
 */
export const transactionUnitsByTable = (
  actions: readonly TransactAction[],
): [table: string, units: number][] =>
  actions.map((a) => {
    if (a.Put) return [a.Put.TableName ?? 'unknown', 2 * writeUnitsOfBytes(itemSizeBytes(a.Put.Item ?? {}))];
    const other = a.Update ?? a.Delete ?? a.ConditionCheck;
    return [other?.TableName ?? 'unknown', 2];
  });

/**
 * Request units a command consumed. Every item command is sent with ReturnConsumedCapacity TOTAL,
 * so DynamoDB Local reports the units from the items' sizes as AWS does (a write per started KB, a
 * read per started 4 KB, half for an eventually consistent read), except a transaction's writes,
 * counted from the items sent (`transactionUnitsByTable`). A write refused by its condition
 * answers with no capacity but is billed: it counts one unit per item it named (twice in a transaction).
 */
export const requestUnitsByTable = (
  command: string,
  input: WriteInput,
  consumed: ConsumedCapacity | undefined,
  transactActions?: readonly TransactAction[],
): [table: string, units: number][] => {
  if (command === 'TransactWriteItemsCommand' && transactActions)
    return transactionUnitsByTable(transactActions);
  const transaction = command.startsWith('Transact') ? 2 : 1;
  if (consumed === undefined)
    return WRITE_COMMANDS.has(command)
      ? perTable(command, input).map(([table, writes]) => [table, writes * transaction])
      : [];
  const least = LEAST_BILLED_READS.has(command) ? (input.ConsistentRead ? 1 : 0.5) : 0;
  return (Array.isArray(consumed) ? consumed : [consumed]).map((c: TableCapacity) => [
    c.TableName ?? input.TableName ?? 'unknown',
    Math.max(least, (c.CapacityUnits ?? 0) * (command === 'TransactGetItemsCommand' ? 2 : 1)),
  ]);
};

/**
 * Reads that AWS bills at least the smallest read, as a GetItem of an absent item, where DynamoDB
 * Local reports 0 for one that finds nothing (an upper bound, if AWS bills an empty one less).
 */
const LEAST_BILLED_READS = new Set(['QueryCommand', 'ScanCommand']);

interface BatchGetInput {
  readonly RequestItems?: Record<
    string,
    { readonly Keys?: readonly unknown[]; readonly ConsistentRead?: boolean }
  >;
}
interface BatchGetOutput {
  readonly Responses?: Record<string, readonly unknown[]>;
  readonly UnprocessedKeys?: Record<string, { readonly Keys?: readonly unknown[] }>;
}

/**
 * The read units of a BatchGetItem's keys that found no item, per table. AWS bills a read of an
 * absent item as the smallest read (half a unit, one when strongly consistent), as DynamoDB Local
 * does for GetItem; in a batch, DynamoDB Local counts only the items it found. Unprocessed keys
 * were not read.
 */
export const absentItemReadUnits = (
  input: BatchGetInput,
  output: BatchGetOutput,
): [table: string, units: number][] =>
  Object.entries(input.RequestItems ?? {}).flatMap(([table, request]) => {
    const absent =
      (request.Keys?.length ?? 0) -
      (output.Responses?.[table]?.length ?? 0) -
      (output.UnprocessedKeys?.[table]?.Keys?.length ?? 0);
    return absent > 0 ? [[table, absent * (request.ConsistentRead ? 1 : 0.5)] as [string, number]] : [];
  });

/** The request units of a command, all its tables together (see `requestUnitsByTable`). */
export const requestUnitsOf = (
  command: string,
  input: WriteInput,
  consumed: ConsumedCapacity | undefined,
): number => requestUnitsByTable(command, input, consumed).reduce((n, [, units]) => n + units, 0);

/**
 * Counts what the clients `attach`ed write and read from then on (an SDK middleware on each, so
 * every repository is covered): each function's client, as it is made. What the pipeline would be
 * billed for on AWS, and nothing else: the stack's own client, through which the benchmark reads
 * the history back to check it (in a five-tenant run, every quarter second while it waits for a
 * webhook's ticket) and local mode sweeps its dead-letter queues, is not attached.
 */
export const countDynamoDb = (): { counts: DynamoDbCounts; attach: (client: DynamoDBClient) => void } => {
  const counts: DynamoDbCounts = {
    writes: 0,
    reads: 0,
    writeUnits: 0,
    readUnits: 0,
    writesByCommand: {},
    requestsByCommand: {},
    byTable: {},
  };
  // A transaction's items as sent, marshalled (the document client marshals them in the serialize
  // step, so they are read in the build step after it), for its units; keyed by the command's
  // context, which every step shares.
  const sentActions = new WeakMap<object, readonly TransactAction[]>();
  const attach = (each: DynamoDBClient) => {
    each.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: readonly TransactAction[] };
        if (context.commandName === 'TransactWriteItemsCommand' && input.TransactItems)
          sentActions.set(context, input.TransactItems);
        return next(args);
      },
      { step: 'build', name: 'benchTransactionItems' },
    );
    each.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        const input = args.input as WriteInput;
        const written = writesOf(command, input);
        counts.writes += written;
        counts.reads += readsOf(command, input);
        counts.writesByCommand[command] = (counts.writesByCommand[command] ?? 0) + written;
        counts.requestsByCommand[command] = (counts.requestsByCommand[command] ?? 0) + 1;
        for (const [table, writes, reads] of perTable(command, input)) {
          const t = (counts.byTable[table] ??= { writes: 0, reads: 0, writeUnits: 0, readUnits: 0 });
          t.writes += writes;
          t.reads += reads;
        }
        const billed = WRITE_COMMANDS.has(command)
          ? 'writeUnits'
          : READ_COMMANDS.has(command)
            ? 'readUnits'
            : undefined;
        if (!billed) return next(args);
        const bill = (consumed: ConsumedCapacity | undefined) => {
          for (const [table, units] of requestUnitsByTable(
            command,
            input,
            consumed,
            sentActions.get(context),
          )) {
            counts[billed] += units;
            const t = (counts.byTable[table] ??= { writes: 0, reads: 0, writeUnits: 0, readUnits: 0 });
            t[billed] += units;
          }
        };
        const asking = { ...input, ReturnConsumedCapacity: 'TOTAL' };
        try {
          const result = await next({ ...args, input: asking });
          const output = result.output as {
            ConsumedCapacity?: ConsumedCapacity;
            Items?: readonly unknown[];
          } & BatchGetOutput;
          bill(output.ConsumedCapacity);
          // A Query or Scan reads what it finds, which its input does not say.
          const found = output.Items?.length ?? 0;
          if (found > 0 && input.TableName !== undefined) {
            counts.reads += found;
            (counts.byTable[input.TableName] ??= {
              writes: 0,
              reads: 0,
              writeUnits: 0,
              readUnits: 0,
            }).reads += found;
          }
          if (command === 'BatchGetItemCommand')
            for (const [table, units] of absentItemReadUnits(input as BatchGetInput, output)) {
              counts.readUnits += units;
              (counts.byTable[table] ??= { writes: 0, reads: 0, writeUnits: 0, readUnits: 0 }).readUnits +=
                units;
            }
          return result;
        } catch (error) {
          bill(undefined);
          throw error;
        }
      },
      { step: 'initialize', name: 'benchDynamoDbCounter' },
    );
  };
  return { counts, attach };
};

/** SQS requests the functions make (sends, visibility changes), as SQS bills them: per 64 KiB. */
export interface SqsCounts {
  standardRequests: number;
  fifoRequests: number;
  readonly requestsByCommand: Record<string, number>;
}

interface SqsInput {
  readonly QueueUrl?: string;
  readonly MessageBody?: string;
  readonly Entries?: readonly { readonly MessageBody?: string; readonly MessageAttributes?: unknown }[];
  readonly MessageAttributes?: unknown;
}

/** The payload SQS bills a request by: message bodies and attributes (their JSON is close enough). */
const payloadBytes = (input: SqsInput): number => {
  const bytes = (body?: string, attributes?: unknown) =>
    Buffer.byteLength(body ?? '') + (attributes ? Buffer.byteLength(JSON.stringify(attributes)) : 0);
  return input.Entries
    ? input.Entries.reduce((n, e) => n + bytes(e.MessageBody, e.MessageAttributes), 0)
    : bytes(input.MessageBody, input.MessageAttributes);
};

/**
 * Counts the SQS requests of the functions' clients, through `attach` as they are made. The local
 * runner's own receives and deletes are not counted here: on AWS the event source mapping makes
 * them, one receive and one delete per invocation, which the cost model counts from the invocations.
 */
export const countSqs = (): { counts: SqsCounts; attach: (client: SQSClient) => void } => {
  const counts: SqsCounts = { standardRequests: 0, fifoRequests: 0, requestsByCommand: {} };
  const attach = (client: SQSClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        const input = args.input as SqsInput;
        const billed = billedSqsRequests(payloadBytes(input));
        if (input.QueueUrl?.endsWith('.fifo')) counts.fifoRequests += billed;
        else counts.standardRequests += billed;
        counts.requestsByCommand[command] = (counts.requestsByCommand[command] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize', name: 'benchSqsCounter' },
    );
  return { counts, attach };
};

/** A secret store that counts its reads: each would be a GetSecretValue on AWS (before its cache). */
export const countingSecrets = (store: SecretStore): { store: SecretStore; counts: { gets: number } } => {
  const counts = { gets: 0 };
  return {
    counts,
    store: {
      get: (integrationId) => {
        counts.gets += 1;
        return store.get(integrationId);
      },
      put: (integrationId, credentials) => store.put(integrationId, credentials),
      delete: (integrationId) => store.delete(integrationId),
    },
  };
};

/** Time spent in each queue's handler, invocations and messages. */
export interface StageTimes {
  readonly ms: Record<QueueKey, number>;
  readonly invocations: Record<QueueKey, number>;
  readonly messages: Record<QueueKey, number>;
}

export const timedHandlers = (
  handlers: PipelineHandlers,
): { handlers: PipelineHandlers; times: StageTimes } => {
  const times: StageTimes = {
    ms: { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 },
    invocations: { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 },
    messages: { fetchJobs: 0, changes: 0, updates: 0, contacts: 0 },
  };
  const timed =
    (queue: QueueKey, handler: QueueHandler): QueueHandler =>
    async (event: SQSEvent, context) => {
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        times.ms[queue] += performance.now() - started;
        times.invocations[queue] += 1;
        times.messages[queue] += event.Records.length;
      }
    };
  return {
    times,
    handlers: {
      fetchJobs: timed('fetchJobs', handlers.fetchJobs),
      changes: timed('changes', handlers.changes),
      updates: timed('updates', handlers.updates),
      contacts: timed('contacts', handlers.contacts),
    },
  };
};

/** Export records the pipeline read from Zendesk, per stream, and the time spent waiting for them. */
export interface FetchCounts {
  ticketEvents: number;
  /** Of the ticket events, those before the import window: the warm-up that builds ticket state. */
  warmUpTicketEvents: number;
  calls: number;
  users: number;
  /** Ticket records, both passes of the tickets export (before and after the ticket events). */
  tickets: number;
  audits: number;
  /** Show Many Tickets requests: a webhook's ticket read now, with its audits. */
  ticketLookups: number;
  userLookups: number;
  zendeskMs: number;
}

/**
 * Wraps the Zendesk client factory so every page read is counted and timed. `window.startSeconds`
 * (set once the integration exists) tells warm-up ticket events from those in the window.
 */
export const countingZendesk = (
  factory: ZendeskFactory,
  window: { startSeconds: number },
): { factory: ZendeskFactory; counts: FetchCounts } => {
  const counts: FetchCounts = {
    ticketEvents: 0,
    warmUpTicketEvents: 0,
    calls: 0,
    users: 0,
    tickets: 0,
    audits: 0,
    ticketLookups: 0,
    userLookups: 0,
    zendeskMs: 0,
  };
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work;
    } finally {
      counts.zendeskMs += performance.now() - started;
    }
  };
  const pages = (
    outcome: { kind: string; records?: readonly unknown[] },
    field: 'ticketEvents' | 'calls' | 'users' | 'tickets',
  ) => {
    if (outcome.kind === 'page') counts[field] += outcome.records?.length ?? 0;
  };
  const wrap = (client: ZendeskReader): ZendeskReader => ({
    ticketEvents: async (position) => {
      const outcome = await timed(client.ticketEvents(position));
      pages(outcome, 'ticketEvents');
      if (outcome.kind === 'page')
        counts.warmUpTicketEvents += outcome.records.filter((e) => e.timestamp < window.startSeconds).length;
      return outcome;
    },
    calls: async (position) => {
      const outcome = await timed(client.calls(position));
      pages(outcome, 'calls');
      return outcome;
    },
    users: async (position) => {
      const outcome = await timed(client.users(position));
      pages(outcome, 'users');
      return outcome;
    },
    tickets: async (position) => {
      const outcome = await timed(client.tickets(position));
      pages(outcome, 'tickets');
      return outcome;
    },
    accountTimeZone: () => timed(client.accountTimeZone()),
    views: (...args) => timed(client.views(...args)),
    ticketAudits: async (...args) => {
      counts.audits += 1;
      return timed(client.ticketAudits(...args));
    },
    ticketsByIds: async (...args) => {
      counts.ticketLookups += 1;
      return timed(client.ticketsByIds(...args));
    },
    usersByIds: async (...args) => {
      counts.userLookups += 1;
      return timed(client.usersByIds(...args));
    },
    checkCredentials: (...args) => client.checkCredentials(...args),
  });
  const wrapped = new WeakMap<ZendeskReader, ZendeskReader>();
  return {
    counts,
    factory: async (integration) => {
      const client = await factory(integration);
      let w = wrapped.get(client);
      if (!w) {
        w = wrap(client);
        wrapped.set(client, w);
      }
      return w;
    },
  };
};

/** The process's resident memory, sampled while the run lasts, and the kernel's high-water mark. */
export const sampleRss = (everyMs = 100) => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return { sampledPeakBytes: peak, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    },
  };
};

/**
 * The DynamoDB and memory fields of a bench result: the items written and read since `before`
 * (the counts as the timed run started), and the run's peak resident memory.
 */
export const resourceFigures = (
  dynamo: DynamoDbCounts,
  before: Pick<DynamoDbCounts, 'writes' | 'reads'>,
  memory: { readonly sampledPeakBytes: number; readonly maxRssBytes: number },
) => ({
  dynamoWrites: dynamo.writes - before.writes,
  dynamoReads: dynamo.reads - before.reads,
  dynamoWritesByCommand: dynamo.writesByCommand,
  dynamoRequestsByCommand: dynamo.requestsByCommand,
  dynamoByTable: dynamo.byTable,
  peakRssBytes: Math.max(memory.maxRssBytes, memory.sampledPeakBytes),
  heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
  cores: os.availableParallelism(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
});
