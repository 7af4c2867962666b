/**
 * JSON stored as a compressed binary attribute: items that hold many states (ticket-state buckets,
 * interaction chunks, the update log) shrink several times, which keeps them far below DynamoDB's
 * 400 KB item limit and cuts the write units they cost.
 *
 * Brotli at quality 5, after a one-byte format tag (`b`). A bucket is rewritten whole at every page
 * that changes one of its tickets, so its bytes are paid for many times over. Measured on the
 * sandbox's buckets (about 22 KB of JSON each): gzip at its fastest level, which packed them
 * before, gave 3,469 bytes on average, gzip's default level 2,741, brotli 5 2,434 (27 % fewer write
 * units than gzip 1) at about 0.12 ms more CPU per bucket; qualities above 5 packed hardly smaller
 * for more CPU, and 10 and 11 are a hundred times slower.
 * An item packed before (gzip, whose first two bytes are always 1f 8b) is read as it is; code
 * before the tag cannot read a tagged item.
 */
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';

const BROTLI = 0x62;
const BROTLI_QUALITY = 5;

export const packJson = (value: unknown): Uint8Array => {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const packed = brotliCompressSync(json, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
  return Buffer.concat([Buffer.of(BROTLI), packed]);
};

const isGzip = (packed: Uint8Array): boolean => packed[0] === 0x1f && packed[1] === 0x8b;

/**
 * The value packed in `packed`; `field` (the item and attribute it was read from) starts any error,
 * so a damaged item is named, never its bytes.
 */
export const unpackJson = <T>(packed: Uint8Array, field?: string): T => {
  const where = field !== undefined ? `${field}: ` : '';
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  if (bytes.length === 0) throw new Error(`${where}packed JSON is empty`);
  if (bytes[0] !== BROTLI && !isGzip(bytes))
    throw new Error(
      `${where}packed JSON of an unknown format: its first byte is 0x${bytes[0]!.toString(16).padStart(2, '0')}, neither brotli's tag nor gzip's`,
    );
  try {
    const json = bytes[0] === BROTLI ? brotliDecompressSync(bytes.subarray(1)) : gunzipSync(bytes);
    return JSON.parse(json.toString('utf8')) as T;
  } catch (error) {
    throw new Error(`${where}packed JSON that does not unpack (${(error as Error).message})`, {
      cause: error,
    });
  }
};
