import { decodeBody } from '../shared/messages/body.js';
import type { SQSRecord } from 'aws-lambda';
import type { QueueKey } from '../shared/messages/queues.js';
import type { PipelineLogger } from '../shared/pipeline/deps.js';

/**
 * Import progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise (a log
 * file, a CI job). It watches the pages the pipeline hands on (their stream, size and how far in
 * time they reach) and the pipeline's log for rate-limit waits and failures; the ETA comes from how
 * much of the import window the ticket events and calls have covered so far.
 */
export interface ProgressOutput {
  readonly write: (text: string) => void;
  readonly isTty: boolean;
  readonly columns?: number;
}

type Stream = 'users' | 'views' | 'tickets' | 'ticket_events' | 'ticket_creations' | 'calls';

// The share of an import's time each stream takes, roughly (ticket events dominate).
const WEIGHT: Readonly<Record<Stream, number>> = {
  users: 0.05,
  views: 0.02,
  tickets: 0.03,
  ticket_events: 0.68,
  ticket_creations: 0.02,
  calls: 0.2,
};
const ORDER: readonly Stream[] = ['users', 'views', 'tickets', 'ticket_events', 'ticket_creations', 'calls'];
const LABEL: Readonly<Record<Stream, string>> = {
  users: 'users',
  views: 'views',
  tickets: 'tickets',
  ticket_events: 'ticket events',
  ticket_creations: 'ticket creations',
  calls: 'calls',
};
const REDRAW_MS = 100;

export interface ProgressCounts {
  readonly pages: number;
  readonly events: number;
  /** Of the ticket events, those before the window: read only to build ticket state. */
  readonly warmUpEvents: number;
  readonly calls: number;
  readonly rateLimitWaits: number;
  readonly rateLimitSeconds: number;
}

interface PageBody {
  stream?: unknown;
  records?: unknown;
}

const isStream = (value: unknown): value is Stream => ORDER.includes(value as Stream);

const recordTime = (stream: Stream, record: unknown): number | undefined => {
  const r = record as { timestamp?: unknown; createdAt?: unknown; updatedAt?: unknown };
  if (stream === 'ticket_events' && typeof r.timestamp === 'number') return r.timestamp * 1000;
  if (stream === 'calls' && typeof r.updatedAt === 'string') return Date.parse(r.updatedAt);
  return undefined;
};

export const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
};

export class Progress {
  private pages = 0;
  private events = 0;
  private warmUpEvents = 0;
  private calls = 0;
  private rateLimitWaits = 0;
  private rateLimitSeconds = 0;
  private stream: Stream = 'users';
  private reached: number | undefined;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly started: number;

  constructor(
    private readonly out: ProgressOutput,
    private window: { since: Date; until: Date },
    private readonly clock: () => number = Date.now,
  ) {
    this.started = clock();
  }

  /** The window the ETA is measured against, once it is known (e.g. the oldest integration's). */
  measureAgainst(window: { since: Date; until: Date }): void {
    this.window = window;
  }

  counts(): ProgressCounts {
    return {
      pages: this.pages,
      events: this.events,
      warmUpEvents: this.warmUpEvents,
      calls: this.calls,
      rateLimitWaits: this.rateLimitWaits,
      rateLimitSeconds: this.rateLimitSeconds,
    };
  }

  /** Passed to the local runner: sees every message a handler receives. */
  readonly onDelivery = (queue: QueueKey, record: SQSRecord): void => {
    if (queue !== 'changes') return;
    let body: PageBody;
    try {
      body = JSON.parse(decodeBody(record.body)) as PageBody;
    } catch {
      return; // the pipeline parks what it cannot read; progress only counts pages
    }
    if (!isStream(body.stream) || !Array.isArray(body.records)) return;
    const stream = body.stream;
    const records: unknown[] = body.records;
    if (stream !== this.stream) {
      this.stream = stream;
      this.reached = undefined;
    }
    this.pages += 1;
    if (stream === 'ticket_events') {
      this.events += records.length;
      const since = this.window.since.getTime();
      this.warmUpEvents += records.filter((r) => (recordTime(stream, r) ?? since) < since).length;
    }
    if (stream === 'calls') this.calls += records.length;
    const last = records.length > 0 ? recordTime(stream, records[records.length - 1]) : undefined;
    if (last !== undefined) this.reached = Math.max(this.reached ?? 0, last);
    this.report(`${LABEL[stream]} page: ${records.length} records`);
  };

  /** Passed to the pipeline: turns its log into progress, and warnings into lines. */
  readonly logger: PipelineLogger = {
    info: (_message, extra) => {
      const delay = extra?.delaySeconds;
      if (typeof delay === 'number') {
        this.rateLimitWaits += 1;
        this.rateLimitSeconds += delay;
        this.report(`rate limited by Zendesk: waiting ${delay} s`, true);
      }
    },
    warn: () => undefined,
    error: (message, extra) => {
      const reason = typeof extra?.reason === 'string' ? `: ${extra.reason}` : '';
      this.line(`warning: ${message}${reason}`);
    },
  };

  /** 0…1: streams done plus how far the current one has come through the window. */
  fraction(): number {
    const index = ORDER.indexOf(this.stream);
    const done = ORDER.slice(0, index).reduce((sum, s) => sum + WEIGHT[s], 0);
    const span = this.window.until.getTime() - this.window.since.getTime();
    const within =
      this.reached === undefined || span <= 0
        ? 0
        : Math.min(1, Math.max(0, (this.reached - this.window.since.getTime()) / span));
    return Math.min(1, done + WEIGHT[this.stream] * within);
  }

  private eta(): string {
    const f = this.fraction();
    if (f < 0.05) return 'ETA …';
    const elapsed = this.clock() - this.started;
    return `ETA ${formatDuration((elapsed * (1 - f)) / f)}`;
  }

  private status(): string {
    const parts = [
      LABEL[this.stream],
      `${this.pages} pages`,
      `${this.events.toLocaleString('en-US')} events`,
      `${this.calls.toLocaleString('en-US')} calls`,
    ];
    if (this.rateLimitWaits > 0) parts.push(`${this.rateLimitWaits} rate-limit waits`);
    if (this.reached !== undefined) parts.push(`at ${new Date(this.reached).toISOString().slice(0, 16)}Z`);
    parts.push(this.eta());
    return parts.join(' · ');
  }

  private report(event: string, always = false): void {
    if (!this.out.isTty) {
      this.out.write(`progress: ${event} · ${this.status()}\n`);
      return;
    }
    const now = this.clock();
    if (!always && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.draw();
  }

  private draw(): void {
    const width = 24;
    const filled = Math.round(this.fraction() * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(this.fraction() * 100)).padStart(3)}%`;
    const text = `${bar} ${this.status()}`;
    const columns = this.out.columns ?? 100;
    this.out.write(`\r\x1b[2K${text.length > columns - 1 ? text.slice(0, columns - 1) : text}`);
    this.drawn = true;
  }

  /** A line that stays (a warning), above the bar on a terminal. */
  line(text: string): void {
    if (this.out.isTty && this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(`${text}\n`);
    if (this.out.isTty && this.drawn) this.draw();
  }

  /** Clears the bar; the summary follows on stdout. */
  finish(): void {
    if (this.out.isTty && this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
