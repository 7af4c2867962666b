import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { MAX_MESSAGE_BYTES } from './split.js';

/**
 * How a message travels in an SQS body: plain JSON when it fits, otherwise gzip in base64 behind a
 * `gz:` prefix (JSON never starts with `g`, so either form is told apart by its first bytes). A
 * compacted 1000-event export page is ~710 KB of JSON but compresses about tenfold, so a page goes
 * on as one message instead of four parts: each later stage then reads and writes a ticket's
 * state, its counters and its markers once per page rather than once per part.
 */
const GZIP_PREFIX = 'gz:';

/** The body for this JSON, or null when even compressed it is larger than `maxBytes`. */
export const encodeBody = (json: string, maxBytes: number = MAX_MESSAGE_BYTES): string | null => {
  if (Buffer.byteLength(json) <= maxBytes) return json;
  const packed = `${GZIP_PREFIX}${gzipSync(json, { level: constants.Z_BEST_SPEED }).toString('base64')}`;
  return packed.length <= maxBytes ? packed : null;
};

/** The JSON text of a body written by `encodeBody` (or by anything that sends plain JSON). */
export const decodeBody = (body: string): string =>
  body.startsWith(GZIP_PREFIX)
    ? gunzipSync(Buffer.from(body.slice(GZIP_PREFIX.length), 'base64')).toString('utf8')
    : body;
