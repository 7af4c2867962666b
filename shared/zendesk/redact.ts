/**
 * Keeps secrets out of every string the client emits (errors, log lines). Anything Zendesk or the
 * network says is passed through `redact` before it is used, because a body or an error cause may
 * echo a header or a token back.
 */
export const REDACTED = '[redacted]';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret; very short strings are ignored, as they would redact ordinary words. */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 6) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}
