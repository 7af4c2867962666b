import { describe, expect, it } from '@jest/globals';
import { decodeBody, encodeBody } from '../../../shared/messages/body.js';

describe('message bodies', () => {
  it('sends JSON that fits as it is', () => {
    expect(encodeBody('{"a":1}', 100)).toBe('{"a":1}');
    expect(decodeBody('{"a":1}')).toBe('{"a":1}');
  });

  it('compresses JSON over the limit behind a gz: prefix and restores it exactly', () => {
    const json = JSON.stringify({
      records: Array.from({ length: 2000 }, (_, i) => ({ id: i, via: 'Web form' })),
    });
    const body = encodeBody(json, 20_000);
    expect(body?.startsWith('gz:')).toBe(true);
    expect(body!.length).toBeLessThanOrEqual(20_000);
    expect(decodeBody(body!)).toBe(json);
  });

  it('refuses (null) what does not fit even compressed', () => {
    const incompressible = JSON.stringify({
      x: Array.from({ length: 4000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)),
    });
    expect(encodeBody(incompressible, 1_000)).toBeNull();
  });
});
