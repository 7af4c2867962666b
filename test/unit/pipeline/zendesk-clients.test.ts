import { describe, expect, it } from '@jest/globals';
import { partTermOf } from '../../../shared/domain/description-terms.js';
import { zendeskClients } from '../../../shared/pipeline/zendesk.js';
import type { SecretStore } from '../../../shared/store/secret-store.js';
import type { ZendeskCredentials } from '../../../shared/zendesk/auth.js';
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

describe('zendeskClients: a refresh token another process rotated (AWS: one client per warm Lambda instance)', () => {
  it('keeps the client (and its access token) when only the stored refresh token changed, and reads the store past its cache for each grant', async () => {
    let issued = 0;
    const grants: string[] = [];
    const zendesk = await startFakeZendesk((r) => {
      if (r.path === '/oauth/tokens') {
        grants.push((JSON.parse(r.body) as { refresh_token: string }).refresh_token);
        issued += 1;
        return {
          json: {
            access_token: `access-${issued}-abcdef`,
            token_type: 'bearer',
            expires_in: 1800,
            refresh_token: `rotated-${issued}-xyz`,
          },
        };
      }
      return { json: { ticket_events: [], end_time: null, end_of_stream: true } };
    });
    try {
      const initial: Extract<ZendeskCredentials, { kind: 'oauth_refresh_token' }> = {
        kind: 'oauth_refresh_token',
        clientId: 'wfm',
        clientSecret: 'oauth-client-secret-9a8b7c6d',
        refreshToken: 'refresh-initial-000',
      };
      let cached: ZendeskCredentials = initial;
      let stored: ZendeskCredentials = initial;
      const reads: string[] = [];
      const store: SecretStore = {
        get: async () => (reads.push('cached'), cached),
        getNow: async () => (reads.push('now'), stored),
        put: async (_id, credentials) => void (stored = credentials),
        delete: async () => undefined,
      };
      const clients = zendeskClients(store, {
        clock: () => Date.parse('2026-01-03T00:00:00Z'),
        maxRetries: 0,
      });
      const integration = { ...ACME, baseUrl: zendesk.baseUrl };
      const first = await clients(integration);
      await first.ticketEvents({ startTime: 1_766_999_000 });
      expect(grants).toEqual(['refresh-initial-000']);
      expect(stored).toMatchObject({ refreshToken: 'rotated-1-xyz' });
      // Another instance rotates; this one's cache catches up: the same client, no grant of its own.
      stored = { ...initial, refreshToken: 'rotated-by-another-555' };
      cached = stored;
      const again = await clients(integration);
      expect(again).toBe(first);
      await again.ticketEvents({ startTime: 1_766_999_000 });
      expect(grants).toEqual(['refresh-initial-000']);
      expect(reads.filter((r) => r === 'now')).toHaveLength(2); // the grant's read, and its save's
    } finally {
      await zendesk.stop();
    }
  });
});
