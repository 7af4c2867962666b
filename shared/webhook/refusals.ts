import type { SignatureVerdict } from './signature.js';

/** Why a webhook request was refused: what the operator sees counted (never in the HTTP answer). */
export type WebhookRefusal =
  | 'unknown_path'
  | 'not_post'
  | 'body_too_large'
  | 'unknown_integration'
  | 'no_signing_secret'
  | Extract<SignatureVerdict, { ok: false }>['reason'];

/**
 * Counts refused webhook requests by reason between reports, so a flood of junk becomes one line
 * per report (e.g. a minute) instead of one line per request.
 */
export class RefusalTally {
  private counts = new Map<WebhookRefusal, number>();

  add(reason: WebhookRefusal): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  /**
   * The refusals since the last report as one line, e.g. `refused webhooks in the last minute: 3
   * (missing_signature 2, stale 1)`, most frequent first; undefined when there were
   * none. Counting starts afresh.
   */
  report(period: string): string | undefined {
    if (this.counts.size === 0) return undefined;
    const entries = [...this.counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    this.counts = new Map();
    const total = entries.reduce((sum, [, n]) => sum + n, 0);
    return `refused webhooks ${period}: ${total} (${entries.map(([reason, n]) => `${reason} ${n}`).join(', ')})`;
  }
}
