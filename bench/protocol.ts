/** The messages between the benchmark and its sandbox child process (bench/sandbox-process.ts). */
export interface SandboxReady {
  readonly type: 'ready';
  readonly baseUrl: string;
  readonly email: string;
  readonly apiToken: string;
  readonly importDays: number;
  readonly eventCount: number;
  /** The sandbox clock when it announced itself (epoch ms); it runs on in real time. */
  readonly nowMs: number;
}

export type BenchRequest =
  | { readonly type: 'requests'; readonly prefixes: readonly string[] }
  | {
      readonly type: 'expected';
      readonly since: string;
      readonly groupingStrategy: 'ivr' | 'phone_number';
      readonly intervalMinutes: 15 | 30 | 60;
    }
  /** Sends a signed webhook to this endpoint whenever a ticket is created (the --tenants run). */
  | { readonly type: 'configureWebhook'; readonly url: string; readonly signingSecret: string }
  /** A customer creates a ticket now: the sandbox records it and sends its webhook. */
  | { readonly type: 'createTicket'; readonly channel: string }
  | { readonly type: 'stop' };

/** What the published queue histories must amount to: a digest of their canonical JSON and totals. */
export interface QueueSummary {
  readonly digest: string;
  readonly queues: number;
  readonly intervals: number;
  readonly contacts: number;
  readonly contactsByQueue: Readonly<Record<string, number>>;
}

export type BenchResponse =
  | { readonly type: 'requests'; readonly total: number; readonly byPath: Readonly<Record<string, number>> }
  | ({ readonly type: 'expected' } & QueueSummary)
  | { readonly type: 'configureWebhook' }
  | { readonly type: 'createTicket'; readonly ticketId: number };

/** The Zendesk paths whose requests a benchmark counts (the sandbox child answers per prefix). */
export const COUNTED_ZENDESK_PATHS: readonly string[] = [
  '/api/v2/incremental/ticket_events',
  '/api/v2/incremental/tickets/cursor',
  '/api/v2/incremental/users',
  '/api/v2/channels/voice',
  '/api/v2/views',
  '/api/v2/tickets',
  '/api/v2/users/show_many',
];
