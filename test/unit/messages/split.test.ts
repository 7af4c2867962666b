import { describe, expect, it } from '@jest/globals';
import { partKey } from '../../../shared/messages/split.js';

describe('partKey', () => {
  it('derives part keys only when a page is split', () => {
    expect(partKey('p', 0, 1)).toBe('p');
    expect(partKey('p', 2, 3)).toBe('p.2');
  });
});
