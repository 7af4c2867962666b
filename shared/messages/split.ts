/**
 * A page too large for one SQS message (256 KiB) travels as several, in order: the byte budget a
 * message body stays under, and the key of each part, derived from the page key so that a retried
 * page gives its parts the same keys.
 */
export const MAX_MESSAGE_BYTES = 200_000;

/** The key of part `index` of `count` parts: the page key itself when the page is not split. */
export const partKey = (pageKey: string, index: number, count: number): string =>
  count === 1 ? pageKey : `${pageKey}.${index}`;
