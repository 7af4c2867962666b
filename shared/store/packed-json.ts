/**
 * JSON stored as a gzipped binary attribute: items that hold many states (ticket-state buckets,
 * interaction chunks) shrink several times, which keeps them far below DynamoDB's 400 KB item
 * limit and cuts the write units they cost. The fastest level: these are written on the hot path,
 * and level 1 costs about half the CPU of the default for a few percent more bytes.
 */
import { constants, gunzipSync, gzipSync } from 'node:zlib';

export const packJson = (value: unknown): Uint8Array =>
  gzipSync(JSON.stringify(value), { level: constants.Z_BEST_SPEED });

export const unpackJson = <T>(packed: Uint8Array): T => JSON.parse(gunzipSync(packed).toString('utf8')) as T;
