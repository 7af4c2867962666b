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
