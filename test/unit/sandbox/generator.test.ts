import { describe, expect, it } from '@jest/globals';
import { AuditKind } from '../../../sandbox/account.js';
import { CHANNELS, COMPLETION_STATUSES } from '../../../sandbox/catalog.js';
import { timePage } from '../../../sandbox/endpoints.js';
import { generateAccount, SIZE_PROFILES } from '../../../sandbox/generator.js';
import { buildTruth } from '../../../sandbox/ground-truth.js';
import { CONVERSATION_CHANNELS, WFM_CHANNEL_BY_VIA } from '../../../sandbox/truth.js';

const ANCHOR = Date.parse('2024-06-10T12:00:00Z') / 1000;

describe('the account generator', () => {
  it('gives the same account for the same seed and anchor, another for another seed', () => {
    const a = generateAccount(7, 'small', ANCHOR);
    const b = generateAccount(7, 'small', ANCHOR);
    const c = generateAccount(8, 'small', ANCHOR);
    expect(Array.from(b.auditTs.view())).toEqual(Array.from(a.auditTs.view()));
    expect(Array.from(b.auditKind.view())).toEqual(Array.from(a.auditKind.view()));
    expect(Array.from(b.changeValue.view())).toEqual(Array.from(a.changeValue.view()));
    expect(Array.from(b.callUpdated.view())).toEqual(Array.from(a.callUpdated.view()));
    expect(buildTruth(b)).toEqual(buildTruth(a));
    expect(Array.from(c.auditTs.view())).not.toEqual(Array.from(a.auditTs.view()));
  });

  const small = generateAccount(1, 'small', ANCHOR);
  const truth = buildTruth(small);

  it('creates tickets in all 17 mapped channels and a few unmapped ones', () => {
    const created = new Set<string>();
    for (let t = 0; t < small.ticketCount; t++) created.add(small.channelNames[small.ticketChannel.get(t)]!);
    for (const via of Object.keys(WFM_CHANNEL_BY_VIA)) expect(created).toContain(via);
    expect([...created].filter((c) => !(c in WFM_CHANNEL_BY_VIA)).sort()).toEqual([
      'line',
      'telegram',
      'wechat',
    ]);
    expect(CHANNELS).toHaveLength(20);
  });

  it('has phone tickets an agent’s outbound call created, none of them a contact of the truth', () => {
    const outbound = [...small.outboundCallCreations];
    expect(outbound.length).toBeGreaterThan(0);
    for (const t of outbound) expect(small.channelNames[small.ticketChannel.get(t)]).toBe('voice');
    const counted = new Set(truth.interactions.map((i) => `${i.ticketId}:${i.auditId}`));
    for (const t of outbound)
      expect(counted.has(`${small.ticketId(t)}:${small.auditId(small.ticketHead.get(t))}`)).toBe(false);
    // The other phone tickets' creations are contacts.
    const inbound = Array.from({ length: small.ticketCount }, (_, t) => t).filter(
      (t) =>
        small.channelNames[small.ticketChannel.get(t)] === 'voice' &&
        !small.outboundCallCreations.has(t) &&
        small.ticketCreated.get(t) >= small.spanStart,
    );
    expect(
      inbound.some((t) => counted.has(`${small.ticketId(t)}:${small.auditId(small.ticketHead.get(t))}`)),
    ).toBe(true);
  });

  it('keeps all data inside the span, ending two minutes before the anchor, in time order', () => {
    const order = small.order.view();
    let previous = -Infinity;
    for (const a of order) {
      const ts = small.auditTs.get(a);
      expect(ts).toBeGreaterThanOrEqual(previous);
      previous = ts;
    }
    expect(small.spanEnd).toBe(ANCHOR - 120);
    expect(previous).toBeLessThan(small.spanEnd);
    expect(small.auditTs.get(order[0]!)).toBeGreaterThanOrEqual(
      small.spanEnd - SIZE_PROFILES.small.days * 86_400,
    );
  });

  it('has every kind of update and a realistic number of events', () => {
    const kinds = new Map<number, number>();
    for (const k of small.auditKind.view()) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    for (const kind of Object.values(AuditKind)) expect(kinds.get(kind) ?? 0).toBeGreaterThan(0);
    expect(small.auditCount).toBeGreaterThan(3_000);
    expect(small.auditCount).toBeLessThan(6_000);
  });

  it('has several updates sharing one second (bulk API imports)', () => {
    const order = small.order.view();
    let shared = 0;
    for (let p = 1; p < order.length; p++)
      if (small.auditTs.get(order[p]!) === small.auditTs.get(order[p - 1]!)) shared++;
    expect(shared).toBeGreaterThan(10);
  });

  it('has tickets created before the default import window that get interactions inside it', () => {
    const since = (small.spanEnd - SIZE_PROFILES.small.importDays * 86_400) * 1000;
    const early = new Set(truth.interactions.filter((x) => Date.parse(x.at) < since).map((x) => x.ticketId));
    const lateOnEarly = truth.interactions.filter((x) => Date.parse(x.at) >= since && early.has(x.ticketId));
    expect(lateOnEarly.length).toBeGreaterThan(5);
  });

  it('has customer follow-ups through another channel than the ticket was created in', () => {
    const firstChannel = new Map<number, string>();
    let switched = 0;
    for (const x of truth.interactions) {
      const first = firstChannel.get(x.ticketId);
      if (first === undefined) firstChannel.set(x.ticketId, x.viaChannel);
      else if (first !== x.viaChannel) switched++;
    }
    expect(switched).toBeGreaterThan(5);
  });

  it.each(['tiny', 'small'] as const)(
    'the %s account has messaging and live-chat tickets in chat sessions, counted per the messaging rule',
    (size) => {
      const account = size === 'small' ? small : generateAccount(1, size, ANCHOR);
      const counted = new Set(buildTruth(account).interactions.map((x) => x.auditId));
      const audits = Array.from({ length: account.auditCount }, (_, a) => a);
      const kindOf = (a: number) => account.auditKind.get(a);
      const channelOf = (a: number) => account.channelNames[account.auditChannel.get(a)]!;
      // The session that created a ticket, recorded in an update of its own right after the creation.
      const creationSessions = audits.filter(
        (a) =>
          kindOf(a) === AuditKind.ChatStart &&
          account.creationSessionApart.has(account.auditTicket.get(a)) &&
          !audits.some(
            (x) =>
              x < a &&
              account.auditTicket.get(x) === account.auditTicket.get(a) &&
              kindOf(x) === AuditKind.ChatStart,
          ),
      );
      const starts = audits.filter((a) => kindOf(a) === AuditKind.ChatStart && !creationSessions.includes(a));
      const ends = audits.filter((a) => kindOf(a) === AuditKind.ChatEnd);
      const copiedMessages = audits.filter(
        (a) => kindOf(a) === AuditKind.CustomerComment && CONVERSATION_CHANNELS.has(channelOf(a)),
      );
      const messagingCreations = audits.filter(
        (a) =>
          kindOf(a) === AuditKind.Create && ['native_messaging', 'whatsapp', 'chat'].includes(channelOf(a)),
      );
      // the shapes: sessions on existing tickets (some re-engaging after a solve), session ends with
      // and without the transcript, messages copied in as comments, messaging creations
      expect(starts.some((a) => account.stateBefore(a).status === 'solved')).toBe(true);
      expect(ends.some((a) => account.auditExtra.get(a) === 1)).toBe(true);
      expect(ends.some((a) => account.auditExtra.get(a) === 0)).toBe(true);
      expect(copiedMessages.length).toBeGreaterThan(0);
      expect(messagingCreations.length).toBeGreaterThan(0);
      expect(creationSessions.length).toBeGreaterThan(0);
      // the rule: the creation and each later session are contacts; the creation's own session (in
      // the creation update or one of its own), messages and transcripts never
      for (const a of [...messagingCreations, ...starts]) expect(counted.has(account.auditId(a))).toBe(true);
      for (const a of [...ends, ...copiedMessages, ...creationSessions])
        expect(counted.has(account.auditId(a))).toBe(false);
    },
  );

  it('has inbound and outbound calls, unanswered ones, calls without IVR group and without number', () => {
    const inbound = truth.calls.filter((c) => c.direction === 'inbound');
    expect(inbound.length).toBeGreaterThan(truth.calls.length * 0.75);
    expect(truth.calls.some((c) => c.direction === 'outbound')).toBe(true);
    expect(inbound.filter((c) => !c.handled).length).toBeGreaterThan(50);
    expect(new Set(inbound.map((c) => c.ivrGroup))).toEqual(
      new Set([null, 'Billing', 'Technical Support', 'Senior Agents', 'Sales']),
    );
    expect(inbound.some((c) => c.phoneNumber === null)).toBe(true);
    const handled = inbound.filter((c) => c.handled);
    const mean = handled.reduce((s, c) => s + c.handleSeconds, 0) / handled.length;
    expect(mean).toBeGreaterThan(200);
    expect(mean).toBeLessThan(900);
  });

  it('gives inbound calls every completion status (Zendesk’s and one it does not document), callbacks, and waits on both sides of 20 s', () => {
    const inbound = truth.calls.filter((c) => c.direction === 'inbound');
    const byStatus = new Map<string, number>();
    for (const c of inbound) byStatus.set(c.completionStatus, (byStatus.get(c.completionStatus) ?? 0) + 1);
    expect([...byStatus.keys()].sort()).toEqual([...COMPLETION_STATUSES].sort());
    for (const n of byStatus.values()) expect(n).toBeGreaterThan(3);
    expect(inbound.filter((c) => c.callback).length).toBeGreaterThan(10);
    const answered = inbound.filter((c) => c.handled && !c.callback);
    expect(answered.filter((c) => c.waitSeconds <= 20).length).toBeGreaterThan(10);
    expect(answered.filter((c) => c.waitSeconds > 20).length).toBeGreaterThan(10);
  });

  it('records one verdict per view, with one view of each unsupported kind', () => {
    expect(truth.views.filter((v) => v.supported && v.active)).toHaveLength(47);
    expect(truth.views.flatMap((v) => v.unsupportedKinds).sort()).toEqual([
      'business_hours',
      'change_operator',
      'channel',
      'skills',
      'sla',
      'user_specific_value',
      'user_specific_value',
    ]);
    // A personal view is one agent's list: not supported as a queue, counted nowhere.
    expect(truth.views.filter((v) => v.personal).map((v) => [v.title, v.supported])).toEqual([
      ['My follow-ups', false],
    ]);
    // Every view is exercised: by contacts, or, for "hours since closed" (a closed ticket takes no
    // update, so it is in the view at its closing update only, never a contact), by its backlog.
    const closedView = truth.views.find((v) => v.title === 'Closed within the hour')!;
    for (const view of truth.views.filter((v) => v.supported && v.active && v.id !== closedView.id))
      expect(truth.interactions.some((x) => x.viewIds.includes(view.id))).toBe(true);
    expect(truth.interactions.some((x) => x.viewIds.includes(closedView.id))).toBe(false);
    expect((truth.backlogSteps ?? []).some((s) => s.viewIds.includes(closedView.id))).toBe(true);
  });
});

describe('a time-based export page', () => {
  //            index: 0    1    2    3    4    5    6
  const ts = [100, 100, 101, 102, 102, 102, 103];
  const at = (i: number) => ts[i]!;

  it('never splits a second: the page grows to the end of its last second, and end_time repeats that second', () => {
    expect(timePage(ts.length, at, 100, 1000, 4, false)).toEqual({
      from: 0,
      to: 6,
      endTime: 102,
      endOfStream: false,
    });
    expect(timePage(ts.length, at, 102, 1000, 4, false)).toEqual({
      from: 3,
      to: 7,
      endTime: 103,
      endOfStream: true,
    });
  });

  it('moves past a second that fills a whole page, so paging cannot stall', () => {
    expect(timePage(ts.length, at, 102, 1000, 1, false)).toEqual({
      from: 3,
      to: 6,
      endTime: 103,
      endOfStream: false,
    });
  });

  it('hides what is newer than the last visible second, and says when the stream ends', () => {
    expect(timePage(ts.length, at, 101, 102, 1000, false)).toEqual({
      from: 2,
      to: 6,
      endTime: 102,
      endOfStream: true,
    });
    expect(timePage(ts.length, at, 101, 102, 1000, true)).toEqual({
      from: 2,
      to: 6,
      endTime: 103,
      endOfStream: true,
    });
    expect(timePage(ts.length, at, 104, 1000, 10, false)).toEqual({
      from: 7,
      to: 7,
      endTime: 104,
      endOfStream: true,
    });
  });
});
