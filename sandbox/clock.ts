/**
 * The sandbox clock: starts at an anchor instant and runs on in real time, plus any advances a test
 * makes. A frozen clock moves only by those advances, so what a test does at the anchor happens at
 * the anchor however long the machine took to get there.
 */
export class SandboxClock {
  private readonly startedAt = performance.now();
  private offsetMs = 0;

  constructor(
    private readonly anchorMs: number,
    private readonly runs: 'real-time' | 'frozen' = 'real-time',
  ) {}

  nowMs(): number {
    const elapsed = this.runs === 'frozen' ? 0 : performance.now() - this.startedAt;
    return this.anchorMs + elapsed + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Whole epoch seconds. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new Error(`advanceClock: seconds must be a finite number ≥ 0, got ${seconds}`);
    }
    this.offsetMs += seconds * 1000;
  }
}

/** The anchor from an option: an ISO string or Date, or the current time truncated to the minute. */
export const anchorFrom = (now: string | Date | undefined): number => {
  if (now === undefined) return Math.floor(Date.now() / 60_000) * 60_000;
  const ms = now instanceof Date ? now.getTime() : Date.parse(now);
  if (Number.isNaN(ms)) throw new Error(`now: expected an ISO-8601 instant or a Date, got ${String(now)}`);
  return ms;
};
