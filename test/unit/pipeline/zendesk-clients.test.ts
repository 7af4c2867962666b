import { describe, expect, it } from '@jest/globals';
import { partTermOf } from '../../../shared/domain/description-terms.js';
import { zendeskClients } from '../../../shared/pipeline/zendesk.js';
import type { SecretStore } from '../../../shared/store/secret-store.js';
import { ACME } from '../../support/integrations.js';
import { rawTicketEvent, startFakeZendesk } from '../zendesk/fake-zendesk.js';

const secrets: SecretStore = {
  get: async () => ({ kind: 'api_token', username: 'admin@acme.test', apiToken: 'zd-api-token-5f1e2d3c' }),
  put: async () => undefined,
  delete: async () => undefined,
};

describe('zendeskClients: one client per integration, its credentials and its views’ description words', () => {
  it('keeps a client while the views’ words are the same, and makes one anew that reads descriptions for new words', async () => {
    const zendesk = await startFakeZendesk(() => ({
      json: {
        ticket_events: [rawTicketEvent(31000000101, 1_767_000_000)],
        count: 1,
        end_time: 1_767_000_000,
        end_of_stream: true,
      },
    }));
    try {
      const clients = zendeskClients(secrets, {
        clock: () => Date.parse('2026-01-03T00:00:00Z'),
        maxRetries: 0,
      });
      const sandbox = { ...ACME, baseUrl: zendesk.baseUrl };
      const before = await clients({ ...sandbox, descriptionSearchWords: ['pass'] });
      expect(await clients({ ...sandbox, descriptionSearchWords: ['pass'] })).toBe(before);
      const after = await clients({ ...sandbox, descriptionSearchWords: ['reset'] });
      expect(after).not.toBe(before);
      const found = async (client: typeof before) => {
        const outcome = await client.ticketEvents({ startTime: 1_766_999_000 });
        const comment = outcome.kind === 'page' ? outcome.records[0]!.children[1] : undefined;
        return comment?.kind === 'Comment' ? comment.partsFound : undefined;
      };
      expect(await found(before)).toEqual([partTermOf('pass')]);
      expect(await found(after)).toEqual([partTermOf('reset')]);
    } finally {
      await zendesk.stop();
    }
  });
});
