import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import type { PipelineHandlers, QueueHandler } from '../local/runner.js';
import type { QueueKey } from '../shared/messages/queues.js';
import type { ZendeskFactory, ZendeskReader } from '../shared/pipeline/deps.js';

/** DynamoDB items written and read, by command, as the client sends them (retries of unprocessed items included). */
export interface DynamoDbCounts {
  writes: number;
  reads: number;
  readonly writesByCommand: Record<string, number>;
  readonly requestsByCommand: Record<string, number>;
  /** Items written and read per table. */
  readonly byTable: Record<string, { writes: number; reads: number }>;
}

interface WriteInput {
  readonly TableName?: string;
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

/**
 * Counts what the clients write from now on (an SDK middleware on each, so every repository is
 * covered): the stack's own client, and each function's, through `attach` as they are made.
 */
export const countDynamoDb = (
  client: DynamoDBClient,
): { counts: DynamoDbCounts; attach: (client: DynamoDBClient) => void } => {
  const counts: DynamoDbCounts = {
    writes: 0,
    reads: 0,
    writesByCommand: {},
    requestsByCommand: {},
    byTable: {},
  };
  const attach = (each: DynamoDBClient) =>
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
          const t = (counts.byTable[table] ??= { writes: 0, reads: 0 });
          t.writes += writes;
          t.reads += reads;
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchDynamoDbCounter' },
    );
  attach(client);
  return { counts, attach };
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
