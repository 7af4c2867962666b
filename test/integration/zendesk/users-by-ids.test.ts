import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import type { UserRecord } from '../../../shared/domain/records.js';
import { ZendeskClient } from '../../../shared/zendesk/client.js';

describe('ZendeskClient.usersByIds against the sandbox', () => {
  let sandbox: Sandbox;
  let client: ZendeskClient;
  let known: UserRecord[];

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3, size: 'tiny', now: '2026-03-02T12:00:00Z', rateLimit: false });
    client = new ZendeskClient({
      baseUrl: sandbox.baseUrl,
      credentials: {
        kind: 'api_token',
        username: sandbox.credentials.email,
        apiToken: sandbox.credentials.apiToken,
      },
      clock: () => sandbox.now().getTime(),
    });
    const page = await client.users({ startTime: 0 });
    if (page.kind !== 'page') throw new Error('the users export was rate-limited');
    known = page.records;
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('returns the users Zendesk knows, by id, and leaves unknown ids out', async () => {
    const wanted = known.slice(0, 3);
    expect(
      await client.usersByIds([wanted[0]!.id, 999_999_999, wanted[1]!.id, wanted[2]!.id, wanted[0]!.id]),
    ).toEqual(wanted);
  });

  it('asks at most 100 ids per request', async () => {
    const before = sandbox.requestCount('/api/v2/users/show_many');
    const ids = [...known.map((u) => u.id), ...Array.from({ length: 150 }, (_, i) => 900_000_000 + i)];
    const found = await client.usersByIds(ids);
    expect(found).toEqual(known);
    expect(sandbox.requestCount('/api/v2/users/show_many') - before).toBe(Math.ceil(ids.length / 100));
  });
});
