/**
 * How long an import still takes, from what bounds it on a real account: Zendesk's export rate.
 * Each export request brings at most a page (1000 records); Zendesk allows 10 incremental export
 * requests a minute (30 with the High Volume API add-on). So the time left is at least the pages
 * left at that rate, or the pace observed so far (rate-limit waits included) when that is slower.
 * The pages left come from the Zendesk time still to read in each time-ordered stream and how
 * densely the part already read was populated.
 */
export interface EtaStream {
  /** Zendesk time still to read in this stream (ms); 0 when it is done. */
  readonly remainingMs: number;
  /** Records read so far in this stream, and the span of Zendesk time they covered (ms). */
  readonly recordsRead: number;
  readonly spanReadMs: number;
}

export interface EtaInput {
  /** The export requests a minute the client allows itself (Zendesk's limit: 10, or 30). */
  readonly exportRequestsPerMinute: number;
  /** Records per export page (1000 unless made smaller). */
  readonly pageSize: number;
  /** Wall time since the import began, and the export pages it read in it. */
  readonly elapsedMs: number;
  readonly pagesRead: number;
  readonly streams: readonly EtaStream[];
}

export interface Eta {
  /** Export requests still to make (at least one per stream not started). */
  readonly pagesLeft: number;
  readonly remainingMs: number;
  /** What bounds it: Zendesk's export rate, or the pace observed so far (slower, e.g. waits). */
  readonly boundBy: 'export_rate' | 'observed_pace';
}

/** Zendesk's documented limit for incremental exports, and with the High Volume API add-on. */
export const ZENDESK_EXPORT_REQUESTS_PER_MINUTE = 10;
export const ZENDESK_HIGH_VOLUME_EXPORT_REQUESTS_PER_MINUTE = 30;
export const ZENDESK_EXPORT_PAGE_SIZE = 1000;

export const pagesLeftIn = (stream: EtaStream, pageSize: number): number => {
  if (stream.remainingMs <= 0) return 0;
  // Nothing read yet: its density is unknown, and it costs at least one request.
  if (stream.spanReadMs <= 0 || stream.recordsRead <= 0) return 1;
  const recordsLeft = (stream.recordsRead / stream.spanReadMs) * stream.remainingMs;
  return Math.max(1, Math.ceil(recordsLeft / pageSize));
};

export const estimateRemaining = (input: EtaInput): Eta => {
  const pagesLeft = input.streams.reduce((n, s) => n + pagesLeftIn(s, input.pageSize), 0);
  const atExportRate = 60_000 / input.exportRequestsPerMinute;
  const observed = input.pagesRead > 0 ? input.elapsedMs / input.pagesRead : 0;
  const perPage = Math.max(atExportRate, observed);
  return {
    pagesLeft,
    remainingMs: Math.round(pagesLeft * perPage),
    boundBy: observed > atExportRate ? 'observed_pace' : 'export_rate',
  };
};

/**
 * The least time a whole import of `records` export records takes at a rate of export requests a
 * minute: one request a page. (The README's table of a year's import comes from it.)
 */
export const importTimeAtExportRate = (
  records: number,
  requestsPerMinute: number,
  pageSize = ZENDESK_EXPORT_PAGE_SIZE,
): number => Math.ceil(records / pageSize) * (60_000 / requestsPerMinute);
