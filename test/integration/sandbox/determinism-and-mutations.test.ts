import { afterEach, describe, expect, it } from '@jest/globals';
import { expectedQueues, startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { get, getOverOwnConnection, minutesAgo, type JsonObject } from './http.js';

const NOW = '2024-06-10T12:00:00Z';
const START = Date.parse('2024-06-01T00:00:00Z') / 1000;
const PATHS = [
  `/api/v2/incremental/ticket_events?start_time=${START}&include=comment_events`,
  `/api/v2/incremental/tickets/cursor?start_time=${START}`,
  '/api/v2/incremental/users/cursor?start_time=0',
  '/api/v2/views?page[size]=100',
  '/api/v2/tickets/5/audits',
  `/api/v2/channels/voice/stats/incremental/calls?start_time=${START}`,
  `/api/v2/channels/voice/stats/incremental/legs?start_time=${START}`,
];

let s: Sandbox | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const bodies = async (seed: number, port = 0) => {
  s = await startSandbox({ seed, size: 'small', now: NOW, port, rateLimit: false });
  const out: string[] = [];
  // Each on a connection of its own: the next sandbox reuses this port.
  for (const path of PATHS) out.push(await getOverOwnConnection(s, path));
  const bound = Number(new URL(s.baseUrl).port);
  await s.stop();
  s = undefined;
  return { out, port: bound };
};

describe('determinism', () => {
  it('gives byte-identical responses for the same seed and clock anchor', async () => {
    const first = await bodies(5);
    const again = await bodies(5, first.port);
    for (const [i, body] of first.out.entries()) {
      expect(body.length).toBeGreaterThan(1000);
      expect(again.out[i] === body).toBe(true);
    }
    const other = await bodies(6, first.port);
    expect(other.out[0] === first.out[0]).toBe(false);
  });
});

describe('the sandbox clock option', () => {
  it('refuses a clock that is neither real-time nor frozen, naming the option', async () => {
    await expect(
      startSandbox({ seed: 2, size: 'tiny', now: NOW, clock: 'paused' as unknown as 'frozen' }),
    ).rejects.toThrow("clock must be 'real-time' or 'frozen', got paused");
  });

  it('a frozen clock stands at its anchor until advanced', async () => {
    s = await startSandbox({ seed: 2, size: 'tiny', now: NOW, rateLimit: false, clock: 'frozen' });
    expect(s.now().toISOString()).toBe('2024-06-10T12:00:00.000Z');
    s.advanceClock(61);
    expect(s.now().toISOString()).toBe('2024-06-10T12:01:01.000Z');
  });
});

describe('mutations at the sandbox clock', () => {
  it('creates a ticket that the export shows once the last minute is over, and counts it in the truth', async () => {
    // Frozen: the ticket is created at the anchor however long the account took to generate.
    s = await startSandbox({ seed: 2, size: 'tiny', now: NOW, rateLimit: false, clock: 'frozen' });
    const interactions = s.truth.interactions.length;
    const ticketId = s.createTicket({ channel: 'whatsapp', groupId: 360001106, tags: ['vip'] });
    expect(ticketId).toBe(s.profile.tickets + 1);
    const truth = s.truth.interactions.at(-1)!;
    expect(s.truth.interactions).toHaveLength(interactions + 1);
    expect(truth).toMatchObject({
      ticketId,
      viaChannel: 'whatsapp',
      wfmChannel: 'social_media',
      at: '2024-06-10T12:00:00Z',
    });
    // Support Tickets, VIP Customers, Social Media, Below high priority (normal), Created within the
    // hour, No callback (a checkbox never set equals an unchecked one), Requester wrote within the
    // hour (the customer's creation is the requester's update), Routed to a group (it has one),
    // Unsolved, handled by agents (every ticket is an agent's)
    expect(truth.viewIds).toEqual([
      360100001, 360100005, 360100007, 360100016, 360100018, 360100028, 360100039, 360100047, 360100053,
    ]);

    const since = minutesAgo(s, 2);
    const hidden = await get(s, `/api/v2/incremental/ticket_events?start_time=${since}`);
    expect(hidden.json.ticket_events).toEqual([]);
    s.advanceClock(61);
    const shown = await get(s, `/api/v2/incremental/ticket_events?start_time=${since}`);
    const events = shown.json.ticket_events as JsonObject[];
    expect(events.map((e) => [e.ticket_id, e.id])).toEqual([[ticketId, truth.auditId]]);

    const auditId = s.addCustomerComment(ticketId, 'email');
    expect(s.truth.interactions.at(-1)).toMatchObject({
      ticketId,
      auditId,
      viaChannel: 'email',
      wfmChannel: 'email',
    });
    expect(() => s!.addCustomerComment(999_999, 'email')).toThrow(
      'ticketId 999999 is not a ticket of this sandbox',
    );
    expect(() => s!.createTicket({ channel: 'Email!' })).toThrow(
      'channel must be a Zendesk via.channel name',
    );
  });

  it('adds a view whose history the truth replays over the whole account', async () => {
    s = await startSandbox({ seed: 2, size: 'tiny', now: NOW, rateLimit: false });
    const viewId = s.addView({
      title: 'Urgent only',
      conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }] },
    });
    expect(s.truth.views.at(-1)).toEqual({
      id: viewId,
      title: 'Urgent only',
      active: true,
      supported: true,
      unsupportedKinds: [],
      personal: false,
    });
    const counted = s.truth.interactions.filter((x) => x.viewIds.includes(viewId));
    expect(counted.length).toBeGreaterThan(0);
    const listed = await get(s, '/api/v2/views?page[size]=100');
    expect((listed.json.views as JsonObject[]).at(-1)).toMatchObject({
      id: viewId,
      title: 'Urgent only',
      active: true,
    });
    const queues = expectedQueues(s.truth, {
      groupingStrategy: 'ivr',
      intervalMinutes: 60,
      since: '2024-06-01T00:00:00Z',
      until: NOW,
    });
    const mine = queues.filter((q) => q.viewId === viewId);
    expect(mine.reduce((n, q) => n + q.intervals.reduce((m, i) => m + i.contacts, 0), 0)).toBe(
      counted.filter((x) => x.wfmChannel !== null).length,
    );
    const unsupported = s.addView({
      title: 'Mine',
      conditions: { all: [{ field: 'assignee_id', operator: 'is', value: 'current_user' }] },
    });
    expect(s.truth.views.find((v) => v.id === unsupported)).toMatchObject({
      supported: false,
      unsupportedKinds: ['user_specific_value'],
    });
  });

  it("updates a call's wrap-up time: the export returns it again with a later updated_at, the truth replaces it", async () => {
    s = await startSandbox({ seed: 2, size: 'tiny', now: NOW, rateLimit: false });
    const call = s.truth.calls.find((c) => c.direction === 'inbound' && c.handled)!;
    const before = await get(s, `/api/v2/channels/voice/stats/incremental/calls?start_time=${START}`);
    const old = (before.json.calls as JsonObject[]).find((c) => c.id === call.id)!;
    s.updateCallWrapUp(call.id, 600);
    const updated = s.truth.calls.find((c) => c.id === call.id)!;
    expect(updated.handleSeconds).toBe(call.handleSeconds - (old.wrap_up_time as number) + 600);
    s.advanceClock(61);
    const after = await get(
      s,
      `/api/v2/channels/voice/stats/incremental/calls?start_time=${minutesAgo(s, 2)}`,
    );
    expect(after.json.calls).toEqual([{ ...old, wrap_up_time: 600, updated_at: '2024-06-10T12:00:00Z' }]);
  });
});
