import { describe, expect, it } from '@jest/globals';
import {
  applyContribution,
  backlogLevels,
  callContribution,
  contributionDelta,
  countersOf,
  supportContribution,
  asaSeconds,
  callTalkFigures,
  NO_TALK_FIGURES,
  serviceLevelPercent,
  type Contribution,
  type IntervalCounters,
  type TalkFigures,
} from '../../../shared/domain/counters.js';
import { call } from '../../support/records.js';

const Q = 'talk:ivr:Billing';
const T0 = '2024-06-03T09:15:00.000Z';

/** Talk figures: zeros but for these. */
const figures = (fields: Partial<TalkFigures>): TalkFigures => ({ ...NO_TALK_FIGURES, ...fields });

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
      [
        contribution({
          handled: 1,
          handleSeconds: 527,
          talk: figures({ serviceLevelOffered: 1, answeredCalls: 1, answerWaitSeconds: 41 }),
        }),
      ],
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
      [contribution({ talk: figures({ abandonedInQueue: 1, serviceLevelOffered: 1 }) })],
    ],
    [
      'an unhandled call’s hold time is not handle time',
      call({ agentId: null, talkTime: 0, holdTime: 20 }),
      [contribution({ talk: figures({}) })],
    ],
    ['an outbound call: nothing', call({ direction: 'outbound' }), []],
  ];
  it.each(rows)('%s', (_name, subject, expected) => {
    expect(callContribution(subject, 'ivr', 15, 20)).toEqual(expected);
  });

  it('AHT with zero handled calls is absent from the interval', () => {
    const abandoned = call({ agentId: null, talkTime: 0, holdTime: 0, wrapUpTime: 0 });
    const [only] = callContribution(abandoned, 'ivr', 15, 20);
    expect(applyContribution(undefined, only as Contribution)).toEqual({
      contacts: 1,
      handled: 0,
      handleSeconds: 0,
      talk: figures({}),
    });
  });
});

describe('contributionDelta', () => {
  it('a later version of a call replaces its contribution: only the wrap-up difference is added', () => {
    const before = callContribution(call({ wrapUpTime: 0 }), 'ivr', 15, 20);
    const after = callContribution(call({ wrapUpTime: 95 }), 'ivr', 15, 20);
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
      const next = callContribution(version, 'ivr', 15, 20);
      for (const delta of contributionDelta(previous, next)) counters = applyContribution(counters, delta);
      previous = next;
    }
    expect(counters).toEqual({
      contacts: 1,
      handled: 1,
      handleSeconds: 527,
      ahtSeconds: 527,
      talk: figures({ serviceLevelOffered: 1, answeredCalls: 1, answerWaitSeconds: 41 }),
    });
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

describe('callTalkFigures: what one inbound call adds to its interval (threshold 20 s)', () => {
  const answered = { agentId: 411000050, talkTime: 402 };
  const unanswered = { agentId: null, talkTime: 0, holdTime: 0, wrapUpTime: 0 };
  const rows: [rule: string, subject: ReturnType<typeof call>, expected: TalkFigures][] = [
    [
      'answered within the threshold: in service level, its wait in speed of answer',
      call({ ...answered, waitTime: 12 }),
      figures({ serviceLevelOffered: 1, serviceLevelAnswered: 1, answeredCalls: 1, answerWaitSeconds: 12 }),
    ],
    [
      'answered after exactly the threshold: within it (inclusive)',
      call({ ...answered, waitTime: 20 }),
      figures({ serviceLevelOffered: 1, serviceLevelAnswered: 1, answeredCalls: 1, answerWaitSeconds: 20 }),
    ],
    [
      'answered one second after the threshold: offered, not within',
      call({ ...answered, waitTime: 21 }),
      figures({ serviceLevelOffered: 1, answeredCalls: 1, answerWaitSeconds: 21 }),
    ],
    [
      'abandoned in queue: abandoned, and offered to service level (never answered within it)',
      call({ ...unanswered, completionStatus: 'abandoned_in_queue', waitTime: 5 }),
      figures({ abandonedInQueue: 1, serviceLevelOffered: 1 }),
    ],
    [
      'abandoned in the IVR: never reached the queue, so not in service level',
      call({ ...unanswered, completionStatus: 'abandoned_in_ivr', waitTime: 0 }),
      figures({ abandonedInIvr: 1 }),
    ],
    [
      'abandoned in voicemail it went to without waiting for an agent: not in service level',
      call({ ...unanswered, completionStatus: 'abandoned_in_voicemail', waitTime: 30 }),
      figures({ abandonedInVoicemail: 1 }),
    ],
    [
      'the queue’s maximum wait ran out (exceeded_queue_wait_time), voicemail left: offered to service level, missed',
      call({ ...unanswered, completionStatus: 'completed', exceededQueueWaitTime: true, waitTime: 300 }),
      figures({ serviceLevelOffered: 1 }),
    ],
    [
      'the caller asked for voicemail while waiting (customer_requested_voicemail), hung up there: offered, missed',
      call({
        ...unanswered,
        completionStatus: 'abandoned_in_voicemail',
        customerRequestedVoicemail: true,
        waitTime: 35,
      }),
      figures({ abandonedInVoicemail: 1, serviceLevelOffered: 1 }),
    ],
    [
      'a voicemail flag on a call that never waited (wait 0, e.g. after hours): not in service level',
      call({
        ...unanswered,
        completionStatus: 'abandoned_in_voicemail',
        customerRequestedVoicemail: true,
        waitTime: 0,
      }),
      figures({ abandonedInVoicemail: 1 }),
    ],
    [
      'a queue flag on a call that ended in the IVR: never in the queue, not in service level',
      call({
        ...unanswered,
        completionStatus: 'abandoned_in_ivr',
        exceededQueueWaitTime: true,
        waitTime: 40,
      }),
      figures({ abandonedInIvr: 1 }),
    ],
    [
      'a voicemail the caller asked for within the threshold is still a miss: no agent answered',
      call({
        ...unanswered,
        completionStatus: 'pending_voicemail',
        customerRequestedVoicemail: true,
        waitTime: 5,
      }),
      figures({ serviceLevelOffered: 1 }),
    ],
    [
      'a voicemail still pending: a documented status, not abandoned, not in service level',
      call({ ...unanswered, completionStatus: 'pending_voicemail', waitTime: 30 }),
      figures({}),
    ],
    [
      'abandoned on hold: an agent answered, so also answered (service level, speed of answer)',
      call({ ...answered, completionStatus: 'abandoned_on_hold', waitTime: 8 }),
      figures({
        abandonedOnHold: 1,
        serviceLevelOffered: 1,
        serviceLevelAnswered: 1,
        answeredCalls: 1,
        answerWaitSeconds: 8,
      }),
    ],
    [
      'failed, as Zendesk’s call statuses document it (“Call failed”): its own figure, not in service level',
      call({ ...unanswered, talkTime: null, completionStatus: 'failed', waitTime: 0 }),
      figures({ failed: 1 }),
    ],
    [
      'not answered (Zendesk’s “Not answered”: left in a transition stage): its own figure, not in service level',
      call({ ...unanswered, completionStatus: 'not_answered', waitTime: 25 }),
      figures({ notAnswered: 1 }),
    ],
    [
      'a status Zendesk does not document is unknown, not guessed',
      call({ ...unanswered, completionStatus: 'dropped_by_carrier', waitTime: 0 }),
      figures({ unknownStatus: 1 }),
    ],
    [
      'no status at all is unknown',
      call({ ...unanswered, completionStatus: null, waitTime: 0 }),
      figures({ unknownStatus: 1 }),
    ],
    [
      'a callback: counted as one, kept out of service level and speed of answer',
      call({ ...answered, callback: true, waitTime: 600 }),
      figures({ callbacks: 1 }),
    ],
    [
      'an answered call without wait_time: neither in service level nor in speed of answer',
      call({ ...answered, waitTime: null }),
      figures({}),
    ],
  ];
  it.each(rows)('%s', (_rule, subject, expected) => {
    expect(callTalkFigures(subject, 20)).toEqual(expected);
  });

  it('the threshold is the integration’s: 30 s puts a 25 s answer within it', () => {
    expect(callTalkFigures(call({ waitTime: 25 }), 30).serviceLevelAnswered).toBe(1);
    expect(callTalkFigures(call({ waitTime: 25 }), 20).serviceLevelAnswered).toBe(0);
  });

  it('a call whose status changes between versions moves between figures, exactly once', () => {
    const queued = callContribution(
      call({ ...unanswered, completionStatus: 'abandoned_in_queue', waitTime: 50 }),
      'ivr',
      15,
      20,
    );
    const answeredLater = callContribution(call({ waitTime: 50 }), 'ivr', 15, 20);
    const [delta] = contributionDelta(queued, answeredLater);
    expect(delta?.talk).toEqual(figures({ abandonedInQueue: -1, answeredCalls: 1, answerWaitSeconds: 50 }));
    expect(applyContribution(applyContribution(undefined, queued[0]!), delta!).talk).toEqual(
      callTalkFigures(call({ waitTime: 50 }), 20),
    );
  });
});

describe('serviceLevelPercent and asaSeconds: derived on read from the sums', () => {
  it('SL % = answered within / offered; ASA = wait seconds / answered; absent when the denominator is 0', () => {
    const t = figures({
      serviceLevelOffered: 4,
      serviceLevelAnswered: 3,
      answeredCalls: 3,
      answerWaitSeconds: 45,
    });
    expect(serviceLevelPercent(t)).toBe(75);
    expect(asaSeconds(t)).toBe(15);
    expect(serviceLevelPercent(figures({}))).toBeUndefined();
    expect(asaSeconds(figures({}))).toBeUndefined();
  });
});

describe("Support's figures: reopens and backlog moves travel in the contribution", () => {
  const AT = '2026-01-05T08:07:00.000Z';
  const Q = 'support:1:email';
  const moves = (reopens: number, backlogEntered: number, backlogLeft: number) => ({
    reopens,
    backlogEntered,
    backlogLeft,
  });
  it.each<[string, Parameters<typeof supportContribution>[3], Record<string, unknown>]>([
    [
      'a contact that is a reopen and enters the backlog carries both',
      { contact: true, support: moves(1, 1, 0) },
      { contacts: 1, support: moves(1, 1, 0) },
    ],
    [
      'an update that only takes the ticket out of the backlog is no contact',
      { contact: false, support: moves(0, 0, 1) },
      { contacts: 0, support: moves(0, 0, 1) },
    ],
    [
      'a contact that moves nothing carries no Support figures',
      { contact: true, support: moves(0, 0, 0) },
      { contacts: 1 },
    ],
  ])('%s', (_rule, counted, expected) => {
    expect(supportContribution(Q, AT, 15, counted)).toEqual({
      queueId: Q,
      intervalStart: '2026-01-05T08:00:00.000Z',
      handled: 0,
      handleSeconds: 0,
      ...expected,
    });
  });

  it('the same moves applied from several updates sum per interval, and an entry and exit of one interval cancel out of the delta', () => {
    const enter = supportContribution(Q, AT, 15, { contact: true, support: moves(0, 1, 0) });
    const leave = supportContribution(Q, AT, 15, { contact: false, support: moves(0, 0, 1) });
    expect(contributionDelta([], [enter, leave])).toEqual([
      {
        queueId: Q,
        intervalStart: '2026-01-05T08:00:00.000Z',
        contacts: 1,
        handled: 0,
        handleSeconds: 0,
        support: moves(0, 1, 1),
      },
    ]);
    expect(contributionDelta([enter], [enter])).toEqual([]);
  });

  it('applyContribution adds the moves to an interval written before they existed (read as zeros) and refuses a negative one', () => {
    const old = countersOf(3, 0, 0);
    const delta = supportContribution(Q, AT, 15, { contact: false, support: moves(0, 2, 1) });
    expect(applyContribution(old, delta)).toEqual({
      contacts: 3,
      handled: 0,
      handleSeconds: 0,
      support: moves(0, 2, 1),
    });
    expect(() => applyContribution(old, { ...delta, support: moves(0, 0, -1) })).toThrow(/negative/);
  });

  it.each<[string, { support?: ReturnType<typeof moves> }[], number[]]>([
    [
      'the backlog at an interval’s end is every entry less every exit up to it',
      [{ support: moves(0, 3, 0) }, { support: moves(0, 1, 2) }],
      [3, 2],
    ],
    [
      'an interval written before the figures existed moves nothing',
      [{}, { support: moves(0, 1, 0) }, {}],
      [0, 1, 1],
    ],
  ])('backlogLevels: %s', (_rule, intervals, expected) => {
    expect(backlogLevels(intervals)).toEqual(expected);
  });
});
