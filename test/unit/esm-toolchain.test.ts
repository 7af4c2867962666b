import middy from '@middy/core';
import { describe, expect, it } from '@jest/globals';

// middy ≥ 5 ships ESM only: this proves Jest loads it (and our TypeScript) as native ESM.
describe('the ESM toolchain', () => {
  it('runs a middy handler with a middleware', async () => {
    const seen: string[] = [];
    const handler = middy(async (event: { n: number }) => event.n * 2).use({
      before: async () => {
        seen.push('before');
      },
    });
    await expect(handler({ n: 21 }, {} as never)).resolves.toBe(42);
    expect(seen).toEqual(['before']);
  });
});
