import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { packJson, unpackJson } from '../../../shared/store/packed-json.js';

/** 32 tickets' states as a bucket keeps them: the shape the packing is chosen for. */
const bucket = Object.fromEntries(
  Array.from({ length: 32 }, (_, i) => [
    String(4800 + i),
    {
      status: ['new', 'open', 'pending', 'solved'][i % 4],
      priority: i % 3 === 0 ? 'high' : 'normal',
      groupId: 360000100 + (i % 5),
      assigneeId: 361000000 + ((i * 7) % 13),
      requesterId: 362000000 + i * 31,
      organizationId: 360002000 + (i % 19),
      brandId: 360000301,
      ticketFormId: 360000222 + (i % 2),
      tags: ['vip', 'billing', 'refund', 'delivery'].slice(0, i % 4),
      customFields: { '360001234': i % 2 === 0 ? 'gold' : 'silver', '360001235': i % 7 },
      createdAt: -86400 + i * 60,
      updatedAt: 45 - i * 45,
      statusEnteredAt: { open: 45 - i * 45 },
      recipient: 'support@acme.zendesk.com',
      supportType: 'agent',
      appliedThrough: {
        timestamp: `2026-03-0${1 + (i % 9)}T10:${String(i).padStart(2, '0')}:00.000Z`,
        id: 9_000_000 + i,
      },
    },
  ]),
);

describe('packed JSON', () => {
  it('rule: a value comes back exactly as it went in', () => {
    for (const value of [bucket, [], {}, null, 'Grüße, 東京 😀', [1.5, 0, 'x', { a: [true, null] }]])
      expect(unpackJson(packJson(value))).toEqual(value);
  });

  it('rule: packed as brotli after the one-byte tag `b`', () => {
    expect(packJson({ a: 1 })[0]).toBe(0x62);
  });

  it('rule: an item packed before the tag (gzip) is read as it is', () => {
    expect(unpackJson(gzipSync(JSON.stringify(bucket), { level: 1 }))).toEqual(bucket);
  });

  it('rule: a bucket packs at least a fifth smaller than gzip at its fastest level, which packed it before', () => {
    const before = gzipSync(JSON.stringify(bucket), { level: 1 }).length;
    expect(packJson(bucket).length).toBeLessThan(before * 0.8);
  });

  it('refuses bytes of an unknown format, naming the first byte, and empty bytes', () => {
    expect(() => unpackJson(Uint8Array.of(0x7b, 0x7d))).toThrow(
      "packed JSON of an unknown format: its first byte is 0x7b, neither brotli's tag nor gzip's",
    );
    expect(() => unpackJson(new Uint8Array(0))).toThrow('packed JSON is empty');
  });

  it('rule: an error names the field it was read from, never the bytes; damaged bytes refused as such', () => {
    expect(() => unpackJson(Uint8Array.of(0x7b, 0x7d), 'ticket-state i1#3 states')).toThrow(
      "ticket-state i1#3 states: packed JSON of an unknown format: its first byte is 0x7b, neither brotli's tag nor gzip's",
    );
    expect(() => unpackJson(Uint8Array.of(0x62, 0xff, 0xff, 0xff), 'interactions p#0 interactions')).toThrow(
      /^interactions p#0 interactions: packed JSON that does not unpack \(/,
    );
  });
});
