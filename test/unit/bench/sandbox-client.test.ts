import { describe, expect, it } from '@jest/globals';
import { sandboxEnv } from '../../../bench/sandbox-client.js';

describe('the sandbox child’s environment', () => {
  it.each([
    ['no NODE_OPTIONS stays without', { PATH: '/bin' }, { PATH: '/bin' }],
    [
      'the heap limit alone is dropped with NODE_OPTIONS',
      { PATH: '/bin', NODE_OPTIONS: '--max-old-space-size=320' },
      { PATH: '/bin' },
    ],
    [
      'the heap limit is dropped, the other options kept',
      { NODE_OPTIONS: '--enable-source-maps --max-old-space-size=320 --trace-warnings' },
      { NODE_OPTIONS: '--enable-source-maps --trace-warnings' },
    ],
    [
      'the underscore spelling and a value as the next word',
      { NODE_OPTIONS: '--max_old_space_size 320 --enable-source-maps' },
      { NODE_OPTIONS: '--enable-source-maps' },
    ],
    [
      'other heap options are kept',
      { NODE_OPTIONS: '--max-semi-space-size=32' },
      { NODE_OPTIONS: '--max-semi-space-size=32' },
    ],
  ])('%s', (_rule, env, expected) => {
    expect(sandboxEnv(env)).toEqual(expected);
  });
});
