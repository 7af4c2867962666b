import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../../cli/errors.js';
import { reserveBytesFromEnv } from '../../../cli/local-install.js';

describe('ZENDESK_WFM_MIN_FREE_MB: the free space a local run keeps in hand', () => {
  it.each<[string, string | undefined, number | undefined]>([
    ['unset: the default', undefined, undefined],
    ['empty: the default', '', undefined],
    ['whole MiB', '64', 64 * 1048576],
    ['0 turns the reserve off', '0', 0],
  ])('%s', (_rule, value, bytes) => {
    expect(reserveBytesFromEnv(value === undefined ? {} : { ZENDESK_WFM_MIN_FREE_MB: value })).toBe(bytes);
  });

  it.each(['abc', '-5', '1.5'])('"%s" is refused, naming the variable', (value) => {
    expect(() => reserveBytesFromEnv({ ZENDESK_WFM_MIN_FREE_MB: value })).toThrow(
      new UsageError(`ZENDESK_WFM_MIN_FREE_MB must be a whole number of MiB (0 or more), got "${value}"`),
    );
  });
});
