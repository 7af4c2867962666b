import { describe, expect, it } from '@jest/globals';
import { partKey, splitBySize } from '../../../shared/messages/split.js';

describe('splitBySize', () => {
  it('keeps a small list whole and splits a large one into ordered parts under the budget', () => {
    expect(splitBySize([1, 2, 3], 100)).toEqual([[1, 2, 3]]);
    const items = Array.from({ length: 10 }, (_, i) => 'x'.repeat(8) + i); // 12 bytes of JSON each, +1
    expect(splitBySize(items, 40)).toEqual([
      items.slice(0, 3),
      items.slice(3, 6),
      items.slice(6, 9),
      items.slice(9),
    ]);
    expect(splitBySize([], 40)).toEqual([[]]);
  });

  it('derives part keys only when a page is split', () => {
    expect(partKey('p', 0, 1)).toBe('p');
    expect(partKey('p', 2, 3)).toBe('p.2');
  });
});
