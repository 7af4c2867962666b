import { describe, expect, it } from '@jest/globals';
import {
  applyContribution,
  callContribution,
  contributionDelta,
  countersOf,
  supportContribution,
  type Contribution,
  type IntervalCounters,
} from '../../../shared/domain/counters.js';
import { call } from '../../support/records.js';

const Q = 'talk:ivr:Billing';
const T0 = '2024-06-03T09:15:00.000Z';

const contribution = (fields: Partial<Contribution>): Contribution => ({
  queueId: Q,
  intervalStart: T0,
  contacts: 1,
  handled: 0,
  handleSeconds: 0,
  ...fields,
});

describe('countersOf: the per-interval record', () => {
  const rows: [contacts: number, handled: number, handleSeconds: number, expected: IntervalCounters][] = [
    [3, 2, 627, { contacts: 3, handled: 2, handleSeconds: 627, ahtSeconds: 313.5 }],
    [1, 1, 527, { contacts: 1, handled: 1, handleSeconds: 527, ahtSeconds: 527 }],
    // AHT with zero handled calls: absent, not 0 and not NaN
    [4, 0, 0, { contacts: 4, handled: 0, handleSeconds: 0 }],
  ];
  it.each(rows)('%d contacts, %d handled, %d s', (contacts, handled, handleSeconds, expected) => {
    const counters = countersOf(contacts, handled, handleSeconds);
    expect(counters).toEqual(expected);
    expect(Object.hasOwn(counters, 'ahtSeconds')).toBe(handled > 0);
  });
});

describe('supportContribution', () => {
  it('is one contact in the interval of the update, without handle time', () => {
    expect(supportContribution('support:7:email', '2024-06-03T10:14:59Z', 15)).toEqual({
      queueId: 'support:7:email',
      intervalStart: '2024-06-03T10:00:00.000Z',
      contacts: 1,
      handled: 0,
      handleSeconds: 0,
    });
  });
});

describe('callContribution', () => {
  const rows: [name: string, subject: ReturnType<typeof call>, expected: Contribution[]][] = [
    [
      'a handled inbound call: one contact at its start, handled, talk + hold + wrap-up',
      call(),
      [contribution({ handled: 1, handleSeconds: 527 })],
    ],
    [
      'an abandoned inbound call: one contact, not handled, no handle time',
      call({
        agentId: null,
        talkTime: 0,
        holdTime: 0,
        wrapUpTime: 0,
        completionStatus: 'abandoned_in_queue',
      }),
      [contribution({})],
    ],
    [
      'an unhandled call’s hold time is not handle time',
      call({ agentId: null, talkTime: 0, holdTime: 20 }),
      [contribution({})],
    ],
    ['an outbound call: nothing', call({ direction: 'outbound' }), []],
  ];
  it.each(rows)('%s', (_name, subject, expected) => {
    expect(callContribution(subject, 'ivr', 15)).toEqual(expected);
  });

  it('AHT with zero handled calls is absent from the interval', () => {
    const abandoned = call({ agentId: null, talkTime: 0, holdTime: 0, wrapUpTime: 0 });
    const [only] = callContribution(abandoned, 'ivr', 15);
    expect(applyContribution(undefined, only as Contribution)).toEqual({
      contacts: 1,
      handled: 0,
      handleSeconds: 0,
    });
  });
});

describe('contributionDelta', () => {
  it('a later version of a call replaces its contribution: only the wrap-up difference is added', () => {
    const before = callContribution(call({ wrapUpTime: 0 }), 'ivr', 15);
    const after = callContribution(call({ wrapUpTime: 95 }), 'ivr', 15);
    expect(contributionDelta(before, after)).toEqual([
      contribution({ contacts: 0, handled: 0, handleSeconds: 95 }),
    ]);
  });

  it('moves a contribution to another queue and interval', () => {
    const before = [contribution({})];
    const after = [
      contribution({
        queueId: 'talk:ivr:Sales',
        intervalStart: '2024-06-03T09:30:00.000Z',
        handled: 1,
        handleSeconds: 300,
      }),
    ];
    expect(contributionDelta(before, after)).toEqual([
      contribution({ contacts: -1 }),
      contribution({
        queueId: 'talk:ivr:Sales',
        intervalStart: '2024-06-03T09:30:00.000Z',
        handled: 1,
        handleSeconds: 300,
      }),
    ]);
  });

  it('an unchanged fact changes nothing; a new fact adds all; a removed fact takes all back', () => {
    const facts = [contribution({ handled: 1, handleSeconds: 10 })];
    expect(contributionDelta(facts, facts)).toEqual([]);
    expect(contributionDelta([], facts)).toEqual(facts);
    expect(contributionDelta(facts, [])).toEqual([
      contribution({ contacts: -1, handled: -1, handleSeconds: -10 }),
    ]);
  });

  it('sums per (queue, interval), drops zeros, and orders by queue then interval', () => {
    const items = [
      contribution({ queueId: 'b', intervalStart: '2024-06-03T09:30:00.000Z' }),
      contribution({ queueId: 'a', handled: 1, handleSeconds: 5 }),
      contribution({ queueId: 'b', intervalStart: T0 }),
      contribution({ queueId: 'a', handled: 1, handleSeconds: 7 }),
      contribution({ queueId: 'c', contacts: 1 }),
      contribution({ queueId: 'c', contacts: -1 }),
    ];
    expect(contributionDelta([], items)).toEqual([
      contribution({ queueId: 'a', contacts: 2, handled: 2, handleSeconds: 12 }),
      contribution({ queueId: 'b', intervalStart: T0 }),
      contribution({ queueId: 'b', intervalStart: '2024-06-03T09:30:00.000Z' }),
    ]);
  });

  it('applying each version’s delta in turn gives the same counters as counting the last version once', () => {
    const versions = [call({ wrapUpTime: 0 }), call({ wrapUpTime: 40 }), call({ wrapUpTime: 95 })];
    let counters: IntervalCounters | undefined;
    let previous: Contribution[] = [];
    for (const version of [...versions, versions[2] ?? call()]) {
      const next = callContribution(version, 'ivr', 15);
      for (const delta of contributionDelta(previous, next)) counters = applyContribution(counters, delta);
      previous = next;
    }
    expect(counters).toEqual({ contacts: 1, handled: 1, handleSeconds: 527, ahtSeconds: 527 });
  });
});

describe('applyContribution', () => {
  it('adds a delta and derives AHT', () => {
    const start = countersOf(2, 1, 100);
    expect(applyContribution(start, contribution({ handled: 1, handleSeconds: 200 }))).toEqual({
      contacts: 3,
      handled: 2,
      handleSeconds: 300,
      ahtSeconds: 150,
    });
  });

  it('refuses to make a counter negative', () => {
    expect(() => applyContribution(undefined, contribution({ contacts: -1 }))).toThrow(
      `queue ${Q} interval ${T0}: counters would become negative`,
    );
  });
});
