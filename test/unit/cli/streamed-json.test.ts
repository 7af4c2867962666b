import { describe, expect, it } from '@jest/globals';
import { streamedJsonList } from '../../../cli/streamed-json.js';

const written = (build: (write: (text: string) => void) => void): string => {
  const pieces: string[] = [];
  build((text) => pieces.push(text));
  return pieces.join('');
};

const queue = (n: number) => ({
  id: `support:${n}:email`,
  name: `View ${n} (email)`,
  viewId: n,
  skipped: undefined,
  intervals: [
    {
      start: '2026-03-01T09:00:00.000Z',
      contacts: n,
      support: { reopens: 0, backlogEntered: n, backlogLeft: 0 },
    },
  ],
});

describe('a JSON document written element by element', () => {
  it.each([
    ['no element', []],
    ['one element', [queue(1)]],
    [
      'several elements, an undefined field dropped, nested objects and lists',
      [queue(1), queue(2), queue(3)],
    ],
    ['elements that are not objects', [1, 'two', null, [3, [4]], {}]],
  ] as [string, unknown[]][])(
    'a bare list, as JSON.stringify(list, null, 2) and a newline: %s',
    (_rule, elements) => {
      const text = written((write) => {
        const list = streamedJsonList<unknown>(write);
        for (const e of elements) list.add(e);
        list.end();
      });
      expect(text).toBe(`${JSON.stringify(elements, null, 2)}\n`);
    },
  );

  it.each([
    [
      'fields before an empty list',
      { integration: 'Acme', completeUpTo: null, run: { at: 'x', runId: 'r' } },
      [],
    ],
    [
      'fields before a list, an undefined field dropped',
      { integration: 'Acme', gone: undefined },
      [queue(1), queue(2)],
    ],
    ['no field but the list', {}, [queue(1)]],
    ['no field, no element', {}, []],
  ] as [string, Record<string, unknown>, unknown[]][])(
    'an object whose last field is the list, as JSON.stringify(object, null, 2) and a newline: %s',
    (_rule, fields, elements) => {
      const text = written((write) => {
        const list = streamedJsonList<unknown>(write, { fields, key: 'queues' });
        for (const e of elements) list.add(e);
        list.end();
      });
      expect(text).toBe(`${JSON.stringify({ ...fields, queues: elements }, null, 2)}\n`);
    },
  );

  it('refuses a head that has the list’s key: the list must be the last field', () => {
    expect(() =>
      streamedJsonList((_text: string) => undefined, { fields: { queues: [] }, key: 'queues' }),
    ).toThrow('the document\'s head has a field "queues" of its own: the list must come last');
  });
});
