/**
 * Import progress on stderr: a bar redrawn in place on a terminal, plain lines otherwise (a log
 * file, a CI job). It is drawn from the pipeline's progress events (shared/pipeline/progress.ts):
 * the pages the fetch step hands on (their stream, size and how far in time they reach), its
 * rate-limit waits, and the messages each stage processed; the pipeline's log adds its errors as
 * warnings. The ETA is what bounds a real import (cli/eta.ts): the export pages still to read in
 * the ticket events and calls (the Zendesk time left in the window, at the density read so far)
 * at the client's export rate, or at the pace seen so far when that is slower (rate-limit waits).
 */
import type { Stream } from '../shared/messages/streams.js';
import type { PipelineLogger } from '../shared/pipeline/deps.js';
import { invocationTimedOutWarning, type ProgressEvent } from '../shared/pipeline/progress.js';
import {
  estimateRemaining,
  ZENDESK_EXPORT_PAGE_SIZE,
  ZENDESK_EXPORT_REQUESTS_PER_MINUTE,
  type EtaStream,
} from './eta.js';

export interface ProgressOutput {
  readonly write: (text: string) => void;
  readonly isTty: boolean;
  readonly columns?: number;
}

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
// The streams read through the import window in time order: what the ETA counts pages of.
const TIMED: readonly Stream[] = ['ticket_events', 'calls'];

/** The export rate the client allows itself and its page size: what bounds the ETA. */
export interface ExportPace {
  readonly exportRequestsPerMinute: number;
  readonly pageSize: number;
}

/** The pace a command's options set, Zendesk's documented one for what they leave out. */
export const paceFrom = (options: {
  exportRequestsPerMinute?: number;
  exportPageSize?: number;
}): ExportPace => ({
  exportRequestsPerMinute: options.exportRequestsPerMinute ?? ZENDESK_EXPORT_REQUESTS_PER_MINUTE,
  pageSize: options.exportPageSize ?? ZENDESK_EXPORT_PAGE_SIZE,
});

export const ZENDESK_PACE: ExportPace = {
  exportRequestsPerMinute: ZENDESK_EXPORT_REQUESTS_PER_MINUTE,
  pageSize: ZENDESK_EXPORT_PAGE_SIZE,
};

export interface ProgressCounts {
  readonly pages: number;
  readonly events: number;
  /** Of the ticket events, those before the window: read only to build ticket state. */
  readonly warmUpEvents: number;
  readonly calls: number;
  readonly rateLimitWaits: number;
  readonly rateLimitSeconds: number;
  /** Message deliveries that failed in any stage (each is retried, or parked after its last). */
  readonly failedDeliveries: number;
}

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
  private failedDeliveries = 0;
  private stream: Stream = 'users';
  private reached: number | undefined;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly started: number;

  constructor(
    private readonly out: ProgressOutput,
    private window: { since: Date; until: Date },
    private readonly clock: () => number = Date.now,
    private readonly pace: ExportPace = ZENDESK_PACE,
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
      failedDeliveries: this.failedDeliveries,
    };
  }

  /** Passed to the local run (RunOptions.onProgress): hears every progress event. */
  readonly onEvent = (event: ProgressEvent): void => {
    switch (event.kind) {
      case 'page_fetched': {
        if (event.stream !== this.stream) {
          this.stream = event.stream;
          this.reached = undefined;
        }
        this.pages += 1;
        if (event.stream === 'ticket_events') this.events += event.records;
        if (event.stream === 'calls') this.calls += event.records;
        this.warmUpEvents += event.beforeWindow;
        if (event.reachedAt !== undefined)
          this.reached = Math.max(this.reached ?? 0, event.reachedAt.getTime());
        return this.report(`${LABEL[event.stream]} page: ${event.records} records`);
      }
      case 'rate_limited':
        this.rateLimitWaits += 1;
        this.rateLimitSeconds += event.delaySeconds;
        return this.report(`rate limited by Zendesk: waiting ${event.delaySeconds} s`, true);
      case 'messages_processed':
        // Failures are retried by the runner; the status says how many there were, without a line each.
        this.failedDeliveries += event.failed;
        return;
      case 'invocation_timed_out':
        return this.line(`warning: ${invocationTimedOutWarning(event)}`);
    }
  };

  /** Passed to the pipeline as its logger: its errors become warning lines. */
  readonly logger: PipelineLogger = {
    info: () => undefined,
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
    // Until the ticket events have shown how dense the window is, any number would be a guess.
    const events = this.etaStream('ticket_events');
    if (events.remainingMs > 0 && events.spanReadMs <= 0) return 'ETA …';
    const { remainingMs } = estimateRemaining({
      ...this.pace,
      elapsedMs: this.clock() - this.started,
      pagesRead: this.pages,
      streams: TIMED.map((stream) => this.etaStream(stream)),
    });
    return `ETA ${formatDuration(remainingMs)}`;
  }

  /** How far one timed stream is through the window, and how many of its records that was. */
  private etaStream(stream: Stream): EtaStream {
    const since = this.window.since.getTime();
    const until = this.window.until.getTime();
    const recordsRead = stream === 'ticket_events' ? this.events - this.warmUpEvents : this.calls;
    if (ORDER.indexOf(stream) < ORDER.indexOf(this.stream))
      return { remainingMs: 0, recordsRead, spanReadMs: Math.max(0, until - since) };
    const reached = stream === this.stream ? (this.reached ?? since) : since;
    const from = Math.min(until, Math.max(since, reached));
    return { remainingMs: until - from, recordsRead, spanReadMs: from - since };
  }

  private status(): string {
    const parts = [
      LABEL[this.stream],
      `${this.pages} pages`,
      `${this.events.toLocaleString('en-US')} events`,
      `${this.calls.toLocaleString('en-US')} calls`,
    ];
    if (this.rateLimitWaits > 0) parts.push(`${this.rateLimitWaits} rate-limit waits`);
    if (this.failedDeliveries > 0) parts.push(`${this.failedDeliveries} failed deliveries`);
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
