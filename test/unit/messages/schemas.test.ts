import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import { ChangesMessageSchema } from '../../../shared/messages/changes.js';
import { ContactsMessageSchema } from '../../../shared/messages/contacts.js';
import { FetchJobSchema } from '../../../shared/messages/fetch-job.js';
import { MalformedMessageError, parseMessage } from '../../../shared/messages/issues.js';
import { UpdatesMessageSchema } from '../../../shared/messages/updates.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const cases: [string, z.ZodType][] = [
  ['fetch-job.v1.json', FetchJobSchema],
  ['changes.v1.json', ChangesMessageSchema],
  ['updates.v2.json', UpdatesMessageSchema],
  ['contacts.v2.json', ContactsMessageSchema],
];

describe('message contracts', () => {
  it.each(cases)('%s still parses, unchanged', (name, schema) => {
    const body = fixture(name);
    expect(parseMessage('q', schema, body)).toEqual(JSON.parse(body));
  });

  it('names the offending field of a malformed page, not its value', () => {
    const page = JSON.parse(fixture('changes.v1.json')) as { records: { ticketId: unknown }[] };
    page.records[0]!.ticketId = 'secret-looking-value';
    const error = (() => {
      try {
        parseMessage('changes', ChangesMessageSchema, JSON.stringify(page));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MalformedMessageError);
    expect((error as Error).message).toBe(
      'Malformed changes message: records.0.ticketId: Invalid input: expected number, received string',
    );
  });

  const changedChild = (value: unknown) => ({ kind: 'Change', field: 'priority', value });
  const pageWithChild = (child: unknown): string => {
    const page = JSON.parse(fixture('changes.v1.json')) as { records: { children: unknown[] }[] };
    page.records[0]!.children = [child];
    return JSON.stringify(page);
  };
  const problemOf = (body: string): string => {
    try {
      parseMessage('changes', ChangesMessageSchema, body);
    } catch (e) {
      return (e as Error).message;
    }
    return 'parsed';
  };

  it.each([
    ['a string', 'high'],
    ['a number', 3],
    ['a boolean', true],
    ['null', null],
    ['a list of strings', ['a', 'b']],
  ])('a field value may be %s (FieldValue)', (_kind, value) => {
    expect(problemOf(pageWithChild(changedChild(value)))).toBe('parsed');
  });

  it.each([
    ['an object', { id: 1 }],
    ['a list holding a number', ['a', 1]],
  ])('a field value that is %s is refused, naming the field', (_kind, value) => {
    expect(problemOf(pageWithChild(changedChild(value)))).toBe(
      'Malformed changes message: records.0.children.0.value: expected a string, a number, a boolean, null or a list of strings',
    );
  });

  it('a child event of an unknown kind is refused, naming its kind field', () => {
    expect(problemOf(pageWithChild({ kind: 'Teleported', field: 'x', value: 1 }))).toMatch(
      /^Malformed changes message: records\.0\.children\.0\.kind: /,
    );
  });

  it('carries a chat session: its start and end children and the chat_session verdict', () => {
    const updates = JSON.parse(fixture('updates.v2.json')) as { updates: unknown[] };
    updates.updates = [
      {
        event: {
          id: 5003,
          ticketId: 101,
          timestamp: 1767607400,
          createdAt: '2026-01-05T10:03:20Z',
          updaterId: 9,
          via: 'WhatsApp',
          viaReferenceId: null,
          children: [
            { kind: 'ChatStarted', chatId: '2109.1.5003', via: 'whatsapp', endUserWrote: true },
            { kind: 'ChatEnded', chatId: null },
          ],
        },
        verdict: {
          kind: 'counted',
          interaction: 'chat_session',
          channel: 'social_media',
          viaChannel: 'whatsapp',
        },
      },
    ];
    const body = JSON.stringify(updates);
    expect(parseMessage('updates', UpdatesMessageSchema, body)).toEqual(JSON.parse(body));
  });

  it('reads the version 1 fixtures (written before the typed outcomes) into version 2', () => {
    const event = (JSON.parse(fixture('updates.v1.json')) as { updates: { event: unknown }[] }).updates[0]!
      .event;
    expect(parseMessage('updates', UpdatesMessageSchema, fixture('updates.v1.json'))).toEqual({
      version: 2,
      pageKey: 'ticket_events:9f2c',
      integrationId: 'i1',
      type: 'ticket_updates',
      updates: [{ event, verdict: { kind: 'skipped', reason: 'internal_note' } }],
    });
    const contribution = (JSON.parse(fixture('contacts.v1.json')) as { facts: { contribution: unknown }[] })
      .facts[0]!.contribution;
    expect(parseMessage('contacts', ContactsMessageSchema, fixture('contacts.v1.json'))).toEqual({
      version: 2,
      pageKey: 'ticket_events:9f2c',
      integrationId: 'i1',
      facts: [
        { kind: 'update_in_view', updateId: 5001, at: '2026-01-05T10:00:00.000Z', contribution },
        {
          kind: 'update_outcome',
          updateId: 5001,
          at: '2026-01-05T10:00:00.000Z',
          outcome: { kind: 'counted', channel: 'email' },
        },
      ],
    });
  });

  it('rejects a body that is not JSON, and an unknown version', () => {
    expect(() => parseMessage('contacts', ContactsMessageSchema, '{')).toThrow(
      'Malformed contacts message: (root): not JSON',
    );
    const job = { ...JSON.parse(fixture('fetch-job.v1.json')), version: 2 };
    expect(() => parseMessage('fetch-jobs', FetchJobSchema, JSON.stringify(job))).toThrow(
      'Malformed fetch-jobs message: version: Invalid input: expected 1',
    );
  });
});
