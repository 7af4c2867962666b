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
  ['updates.v1.json', UpdatesMessageSchema],
  ['contacts.v1.json', ContactsMessageSchema],
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

  it('carries a chat session: its start and end children and the chat_session verdict', () => {
    const updates = JSON.parse(fixture('updates.v1.json')) as { updates: unknown[] };
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
        verdict: { kind: 'chat_session', viaChannel: 'whatsapp', channel: 'social_media' },
      },
    ];
    const body = JSON.stringify(updates);
    expect(parseMessage('updates', UpdatesMessageSchema, body)).toEqual(JSON.parse(body));
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
