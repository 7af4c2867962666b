/**
 * Splits a list into consecutive parts whose JSON stays under a byte budget, so a page that is too
 * large for one SQS message (256 KiB) travels as several, in order. Deterministic: the same items
 * always give the same parts, so part keys derived from a page key are stable across retries.
 */
export const MAX_MESSAGE_BYTES = 200_000;

export const splitBySize = <T>(items: readonly T[], maxBytes: number = MAX_MESSAGE_BYTES): T[][] => {
  const parts: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts;
};

/** The key of part `index` of `count` parts: the page key itself when the page is not split. */
export const partKey = (pageKey: string, index: number, count: number): string =>
  count === 1 ? pageKey : `${pageKey}.${index}`;
