import { describe, expect, it } from '@jest/globals';
import {
  holdsBacklogIn,
  importDocument,
  intervalFloor,
  intervalWindowOf,
  keepIntervals,
  queueTotals,
  reportInWindow,
  withTotals,
  type IntegrationReport,
  type ReportedQueue,
  type ReportWindow,
} from '../../../cli/report.js';
import type { BacklogStep } from '../../../shared/domain/queue-series.js';
import type { IntervalWindow } from '../../../shared/store/queue-history-repository.js';
import { NO_TALK_FIGURES, type TalkFigures } from '../../../shared/domain/counters.js';
import {
  coverageLines,
  historyTable,
  historyText,
  quarantineDocument,
  quarantineTable,
  queuesTable,
  seconds,
  table,
  viewsTable,
} from '../../../cli/render.js';
import type { QuarantinedRecord } from '../../../shared/store/quarantine-repository.js';
import { anIntegration } from '../../support/integrations.js';

const integration = anIntegration({
  id: 'i-1',
  username: 'admin@acme.example',
  credentialKind: 'oauth_client_credentials',
  createdAt: '2026-01-31T00:00:00.000Z',
  updatedAt: '2026-01-31T00:00:00.000Z',
});

const talk = {
  id: 'talk:ivr:Senior Agents',
  name: 'Calls Inbound For Senior Agents',
  channel: 'call',
  source: 'talk' as const,
  intervals: [
    { start: '2026-01-05T10:00:00.000Z', contacts: 2, handled: 1, handleTimeSeconds: 300, ahtSeconds: 300 },
    { start: '2026-01-05T10:15:00.000Z', contacts: 3, handled: 2, handleTimeSeconds: 500, ahtSeconds: 250 },
  ],
};
const email = {
  id: 'support:1:email',
  name: 'Support Tickets (email)',
  channel: 'email',
  source: 'support' as const,
  viewId: 1,
  intervals: [{ start: '2026-01-05T10:00:00.000Z', contacts: 3 }],
};

const report: IntegrationReport = {
  integration,
  queues: [talk, email],
  views: [
    {
      id: 1,
      title: 'Support Tickets',
      active: true,
      supported: true,
      verdict: 'supported',
      excluded: false,
      reasons: [],
      deleted: false,
    },
    {
      id: 2,
      title: 'Phone tickets',
      active: true,
      supported: false,
      verdict: 'unsupported',
      excluded: false,
      reasons: ['uses via_id (channel)'],
      deleted: false,
    },
    {
      id: 4,
      title: 'My tickets',
      active: true,
      supported: false,
      verdict: 'personal',
      excluded: false,
      reasons: ['personal view (restricted to user 9)'],
      deleted: false,
    },
    {
      id: 5,
      title: 'Spam',
      active: true,
      supported: true,
      verdict: 'supported',
      excluded: true,
      reasons: [],
      deleted: false,
    },
    {
      id: 6,
      title: 'Quiet',
      active: true,
      supported: true,
      verdict: 'supported',
      excluded: false,
      reasons: [],
      deleted: false,
    },
    {
      id: 3,
      title: 'Gone',
      active: false,
      supported: true,
      verdict: 'supported',
      excluded: false,
      reasons: [],
      deleted: true,
    },
  ],
  coverage: {
    creationsBySource: { ticket_events: 3, ticket_record: 1 },
    updatesSeen: 10,
    interactionsCounted: 4,
    interactionsByChannel: { email: 3 },
    skippedByReason: { agent_reply: 6 },
    unmappedChannels: { line: 3 },
    callsSeen: 6,
    callsCounted: 5,
    callsSkipped: { outbound: 1 },
    viewsByVerdict: { supported: 1, unsupported: 1 },
    quarantined: 0,
    quarantinedByStream: {},
  },
};

describe('the --json document', () => {
  it('has exactly the contract fields, without deleted views', () => {
    expect(importDocument(report)).toEqual({
      integration: {
        name: 'Acme',
        domain: 'acme.zendesk.com',
        groupingStrategy: 'ivr',
        intervalMinutes: 15,
        serviceLevelSeconds: 20,
      },
      views: [
        {
          id: 1,
          title: 'Support Tickets',
          active: true,
          supported: true,
          verdict: 'supported',
          excluded: false,
          reasons: [],
          queues: ['Support Tickets (email)'],
        },
        {
          id: 2,
          title: 'Phone tickets',
          active: true,
          supported: false,
          verdict: 'unsupported',
          excluded: false,
          reasons: ['uses via_id (channel)'],
          queues: [],
          noQueuesBecause: 'unsupported',
        },
        {
          id: 4,
          title: 'My tickets',
          active: true,
          supported: false,
          verdict: 'personal',
          excluded: false,
          reasons: ['personal view (restricted to user 9)'],
          queues: [],
          noQueuesBecause: 'personal',
        },
        {
          id: 5,
          title: 'Spam',
          active: true,
          supported: true,
          verdict: 'supported',
          excluded: true,
          reasons: [],
          queues: [],
          noQueuesBecause: 'excluded',
        },
        {
          id: 6,
          title: 'Quiet',
          active: true,
          supported: true,
          verdict: 'supported',
          excluded: false,
          reasons: [],
          queues: [],
          noQueuesBecause: 'no contacts yet',
        },
      ],
      unmappedChannels: { line: 3 },
      quarantined: 0,
      creationsBySource: { ticket_events: 3, ticket_record: 1 },
      queues: [talk, email],
    });
  });
});

describe("the --json document's service-level threshold", () => {
  it.each([
    ['an integration saved without a threshold reports the default, 20 s', {}, 20],
    ["an integration's own threshold is reported as saved", { serviceLevelSeconds: 30 }, 30],
  ])('%s', (_rule, settings, expected) => {
    const document = importDocument({ ...report, integration: { ...integration, ...settings } });
    expect(document.integration.serviceLevelSeconds).toBe(expected);
  });
});

describe('intervals in a window', () => {
  const intervals = [
    { start: '2026-01-05T09:45:00.000Z', contacts: 1 },
    { start: '2026-01-05T10:00:00.000Z', contacts: 2 },
    { start: '2026-01-05T10:15:00.000Z', contacts: 3 },
  ];

  it('floors instants to their interval', () => {
    expect(intervalFloor(new Date('2026-01-05T10:14:59.999Z'), 15).toISOString()).toBe(
      '2026-01-05T10:00:00.000Z',
    );
    expect(intervalFloor(new Date('2026-01-05T10:15:00.000Z'), 15).toISOString()).toBe(
      '2026-01-05T10:15:00.000Z',
    );
    expect(intervalFloor(new Date('2026-01-05T10:59:00.000Z'), 60).toISOString()).toBe(
      '2026-01-05T10:00:00.000Z',
    );
  });

  /** Hourly intervals around a Kolkata midnight (+05:30): 18:00 UTC is 23:30 local. */
  const kolkata = [
    { start: '2026-01-04T18:00:00.000Z', contacts: 1 },
    { start: '2026-01-05T17:00:00.000Z', contacts: 1 },
    { start: '2026-01-05T18:00:00.000Z', contacts: 1 },
    { start: '2026-01-05T19:00:00.000Z', contacts: 1 },
  ];
  it.each<[string, typeof intervals, ReportWindow, string[]]>([
    [
      'no window: every interval',
      intervals,
      {},
      ['2026-01-05T09:45', '2026-01-05T10:00', '2026-01-05T10:15'],
    ],
    [
      'an interval starting at `from` is in the window',
      intervals,
      { from: new Date('2026-01-05T10:00:00Z') },
      ['2026-01-05T10:00', '2026-01-05T10:15'],
    ],
    [
      'an interval starting at `to` is not',
      intervals,
      { to: new Date('2026-01-05T10:15:00Z') },
      ['2026-01-05T09:45', '2026-01-05T10:00'],
    ],
    [
      'an interval belongs to the window its start falls in: one starting before `to` is in though it ends after it',
      intervals,
      { to: new Date('2026-01-05T10:20:00Z') },
      ['2026-01-05T09:45', '2026-01-05T10:00', '2026-01-05T10:15'],
    ],
    [
      'one starting before `from` is not, though it ends after it',
      intervals,
      { from: new Date('2026-01-05T10:05:00Z') },
      ['2026-01-05T10:15'],
    ],
    [
      'an interval belongs to the day its start falls in (Asia/Kolkata, 60 min): the one across local midnight is the earlier day’s',
      kolkata,
      { from: new Date('2026-01-04T18:30:00Z'), to: new Date('2026-01-05T18:30:00Z') },
      ['2026-01-05T17:00', '2026-01-05T18:00'],
    ],
  ])('%s', (_rule, given, window, expected) => {
    expect(keepIntervals(given, window).map((i) => i.start.slice(0, 16))).toEqual(expected);
  });

  it.each<[string, ReportWindow, IntervalWindow]>([
    ['no window: the whole history', {}, {}],
    [
      'the store is asked for the starts in [from, to): `to` itself, not the start of its interval',
      { from: new Date('2026-01-04T18:30:00Z'), to: new Date('2026-01-05T18:30:00Z') },
      { from: '2026-01-04T18:30:00.000Z', before: '2026-01-05T18:30:00.000Z' },
    ],
  ])('intervalWindowOf — %s', (_rule, window, expected) => {
    expect(intervalWindowOf(window)).toEqual(expected);
  });
});

/**
 * Rule (issue #20): a Support queue without contacts in a window is still reported in it when its
 * backlog shows there: a ticket entered or left it in the window, or tickets carried into the
 * window wait in it.
 */
/**
 * Rule: a report kept to a window holds each queue's intervals in it, and the queues with an
 * interval or a backlog there (a command that needs the whole history and a window reads once).
 */
describe('a report kept to a window', () => {
  const pending = {
    id: 'support:7:email',
    name: 'Pending (email)',
    channel: 'email',
    source: 'support' as const,
    viewId: 7,
    intervals: [],
    backlogSteps: [{ start: '2026-01-05T09:00:00.000Z', backlog: 2 }],
  };
  const whole: IntegrationReport = { ...report, queues: [talk, email, pending] };
  it.each([
    [
      'the whole history: every queue, every interval',
      {},
      [
        ['Calls Inbound For Senior Agents', 2],
        ['Support Tickets (email)', 1],
        ['Pending (email)', 0],
      ],
    ],
    [
      'from 10:15: the Talk interval in it, and the backlog carried in',
      { from: new Date('2026-01-05T10:15:00Z') },
      [
        ['Calls Inbound For Senior Agents', 1],
        ['Pending (email)', 0],
      ],
    ],
    ['before 09:00: nothing yet', { to: new Date('2026-01-05T09:00:00Z') }, []],
  ] as [string, ReportWindow, [string, number][]][])('%s', (_rule, window, expected) => {
    expect(reportInWindow(whole, window).queues.map((q) => [q.name, q.intervals.length])).toEqual(expected);
  });
});

describe('a backlog in a window', () => {
  const steps = [
    { start: '2026-01-05T09:00:00.000Z', backlog: 2 },
    { start: '2026-01-05T10:00:00.000Z', backlog: 0 },
  ];
  const at = (iso: string) => new Date(iso);
  it.each([
    ['the whole history, with steps', {}, steps, true],
    ['no steps at all', {}, [], false],
    [
      'a step in the window',
      { from: at('2026-01-05T09:45:00Z'), to: at('2026-01-05T10:15:00Z') },
      steps,
      true,
    ],
    [
      'tickets carried in and waiting',
      { from: at('2026-01-05T09:15:00Z'), to: at('2026-01-05T09:45:00Z') },
      steps,
      true,
    ],
    [
      'an empty backlog carried in, no step in the window',
      { from: at('2026-01-05T10:15:00Z') },
      steps,
      false,
    ],
    ['a window before the first step', { to: at('2026-01-05T09:00:00Z') }, steps, false],
    [
      'a step in an interval starting in the window counts, though the interval ends after it',
      { from: at('2026-01-05T09:15:00Z'), to: at('2026-01-05T10:10:00Z') },
      [{ start: '2026-01-05T10:00:00.000Z', backlog: 3 }],
      true,
    ],
    [
      'a step in an interval starting at `to` does not, and nothing is carried',
      { from: at('2026-01-05T09:15:00Z'), to: at('2026-01-05T10:00:00Z') },
      [{ start: '2026-01-05T10:00:00.000Z', backlog: 3 }],
      false,
    ],
  ] as [string, ReportWindow, BacklogStep[], boolean][])('%s', (_rule, window, given, expected) => {
    expect(holdsBacklogIn(given, window)).toBe(expected);
  });
});

describe('queue totals', () => {
  it('sums contacts, and gives Talk queues the AHT over all handled calls', () => {
    expect(queueTotals(talk)).toEqual({
      contacts: 5,
      handled: 3,
      handleTimeSeconds: 800,
      ahtSeconds: 800 / 3,
    });
    expect(queueTotals(email)).toEqual({ contacts: 3, handled: 0, handleTimeSeconds: 0 });
  });

  const figures = (over: Partial<TalkFigures>): TalkFigures => ({ ...NO_TALK_FIGURES, ...over });
  it.each([
    [
      'a Talk queue without Talk figures (schema 1): totals only',
      talk,
      {
        id: 'talk:ivr:Senior Agents',
        name: 'Calls Inbound For Senior Agents',
        channel: 'call',
        source: 'talk',
        totals: { contacts: 5, handled: 3, handleTimeSeconds: 800, ahtSeconds: 800 / 3 },
      },
    ],
    [
      "a Talk queue: its intervals' Talk figures summed, an interval without them adding nothing",
      {
        ...talk,
        intervals: [
          {
            ...talk.intervals[0]!,
            talk: figures({ abandonedInQueue: 1, answeredCalls: 1, answerWaitSeconds: 12 }),
          },
          talk.intervals[1]!,
          {
            start: '2026-01-05T10:30:00.000Z',
            contacts: 1,
            talk: figures({ abandonedInQueue: 1, callbacks: 1 }),
          },
        ],
      },
      {
        id: 'talk:ivr:Senior Agents',
        name: 'Calls Inbound For Senior Agents',
        channel: 'call',
        source: 'talk',
        totals: { contacts: 6, handled: 3, handleTimeSeconds: 800, ahtSeconds: 800 / 3 },
        talk: figures({ abandonedInQueue: 2, callbacks: 1, answeredCalls: 1, answerWaitSeconds: 12 }),
      },
    ],
    [
      'a Support queue: reopens summed, the backlog at its last step',
      {
        ...email,
        intervals: [
          { ...email.intervals[0]!, support: { reopens: 1, backlogEntered: 3, backlogLeft: 0 }, backlog: 3 },
          {
            start: '2026-01-05T11:00:00.000Z',
            contacts: 2,
            support: { reopens: 2, backlogEntered: 0, backlogLeft: 1 },
            backlog: 2,
          },
        ],
        backlogSteps: [
          { start: '2026-01-05T10:00:00.000Z', backlog: 3 },
          { start: '2026-01-05T11:00:00.000Z', backlog: 2 },
          { start: '2026-01-05T12:00:00.000Z', backlog: 0 },
        ],
      },
      {
        id: 'support:1:email',
        name: 'Support Tickets (email)',
        channel: 'email',
        source: 'support',
        viewId: 1,
        totals: { contacts: 5, handled: 0, handleTimeSeconds: 0 },
        support: { reopens: 3, backlogAtEnd: 0 },
      },
    ],
  ] as [string, ReportedQueue, object][])('folded to its totals: %s', (_rule, queue, expected) => {
    // A queue's row of a totals table holds no interval: the fold is what lets a reader drop them.
    expect(withTotals(queue)).toEqual(expected);
  });
});

describe('text output', () => {
  it('aligns tables, numbers to the right', () => {
    expect(
      table(
        ['name', 'n'],
        [
          ['a', '1'],
          ['bbb', '100'],
        ],
        ['left', 'right'],
      ),
    ).toBe(['  name    n', '  a       1', '  bbb   100'].join('\n'));
  });

  it("aligns a table of a year of every queue's intervals: more rows than a call takes arguments", () => {
    // The medium account's whole history is 167,556 intervals; `history` failed on it with
    // "Maximum call stack size exceeded" while the widths were a Math.max over every cell.
    const rows = Array.from({ length: 300_000 }, (_, n) => [`q${n % 7}`, String(n)]);
    const lines = table(['queue', 'n'], rows, ['left', 'right']).split('\n');
    expect(lines).toHaveLength(300_001);
    expect([lines[0], lines[1], lines[300_000]]).toEqual([
      '  queue       n',
      '  q0          0',
      '  q0     299999',
    ]);
  });

  it.each<[number, string]>([
    [42.4, '42s'],
    [266.67, '4m 27s'],
    [3_725, '1h 02m'],
  ])('shows %d seconds as %s', (value, text) => {
    expect(seconds(value)).toBe(text);
  });

  it('lists views with verdicts, the queues each produced or why none, and reasons', () => {
    expect(viewsTable(report)).toBe(
      [
        'Views: 5 (3 supported, 1 unsupported, 1 personal)',
        '  id  title            state   verdict              queues                   reasons',
        '   1  Support Tickets  active  supported            Support Tickets (email)',
        '   2  Phone tickets    active  unsupported          none (unsupported)       uses via_id (channel)',
        '   4  My tickets       active  personal             none (personal)          personal view (restricted to user 9)',
        '   5  Spam             active  supported, excluded  none (excluded)',
        '   6  Quiet            active  supported            none (no contacts yet)',
      ].join('\n'),
    );
  });

  it('lists queues with totals and AHT for Talk', () => {
    expect(queuesTable(report.queues.map(withTotals))).toBe(
      [
        'Source queues: 2 (8 contacts; a contact counts in every view it is in)',
        '  queue                            source   channel  contacts  handled     AHT',
        '  Calls Inbound For Senior Agents  talk     call            5        3  4m 27s',
        '  Support Tickets (email)          support  email           3',
      ].join('\n'),
    );
  });

  it.each<[rule: string, queues: IntegrationReport['queues'], lines: string[]]>([
    [
      "a Support queue adds its reopens and the backlog at the history's end: the last step's, which may be a quiet interval's",
      [
        talk,
        {
          ...email,
          intervals: [
            {
              start: '2026-01-05T10:00:00.000Z',
              contacts: 3,
              support: { reopens: 1, backlogEntered: 3, backlogLeft: 0 },
              backlog: 3,
            },
            {
              start: '2026-01-05T11:00:00.000Z',
              contacts: 2,
              support: { reopens: 1, backlogEntered: 1, backlogLeft: 0 },
              backlog: 4,
            },
          ],
          backlogSteps: [
            { start: '2026-01-05T10:00:00.000Z', backlog: 3 },
            { start: '2026-01-05T11:00:00.000Z', backlog: 4 },
            { start: '2026-01-05T12:30:00.000Z', backlog: 2 },
          ],
        },
      ],
      [
        'Source queues: 2 (10 contacts; a contact counts in every view it is in)',
        '  queue                            source   channel  contacts  handled     AHT  reopens  backlog at end',
        '  Calls Inbound For Senior Agents  talk     call            5        3  4m 27s',
        '  Support Tickets (email)          support  email           5                         2               2',
      ],
    ],
    [
      'a Support history recorded before reopens and the backlog leaves those cells empty beside one that has them',
      [
        { ...email, id: 'support:2:chat', name: 'Old (chat)', channel: 'chat', viewId: 2 },
        {
          ...email,
          intervals: [
            {
              start: '2026-01-05T10:00:00.000Z',
              contacts: 3,
              support: { reopens: 0, backlogEntered: 1, backlogLeft: 0 },
              backlog: 1,
            },
          ],
          backlogSteps: [{ start: '2026-01-05T10:00:00.000Z', backlog: 1 }],
        },
      ],
      [
        'Source queues: 2 (6 contacts; a contact counts in every view it is in)',
        '  queue                    source   channel  contacts  handled  AHT  reopens  backlog at end',
        '  Old (chat)               support  chat            3',
        '  Support Tickets (email)  support  email           3                      0               1',
      ],
    ],
  ])('the summary lists queues with totals: %s', (_rule, queues, lines) => {
    expect(queuesTable(queues.map(withTotals))).toBe(lines.join('\n'));
  });

  it.each([
    [
      'an imported history: complete up to where the ticket events were read, and its last full run',
      anIntegration({ lastCompletedRun: { runId: 'r7', at: '2026-01-05T10:31:00.000Z' } }),
      new Date('2026-01-05T10:30:00.000Z'),
      ['Complete up to: 2026-01-05T10:30:00.000Z', 'Last completed run: 2026-01-05T10:31:00.000Z (run r7)'],
    ],
    [
      'nothing imported yet',
      anIntegration(),
      null,
      ['Complete up to: nothing imported yet', 'Last completed run: none yet'],
    ],
  ])(
    'history for a person says how far it is complete before the intervals: %s',
    (_what, integration, completeUpTo, lines) => {
      expect(historyText(integration, completeUpTo, []).split('\n').slice(1, 3)).toEqual(lines);
    },
  );

  it('lists the history oldest first', () => {
    expect(historyTable(report.queues)).toBe(
      [
        '  interval start            queue                            contacts  handled  handle time     AHT',
        '  2026-01-05T10:00:00.000Z  Calls Inbound For Senior Agents         2        1       5m 00s  5m 00s',
        '  2026-01-05T10:00:00.000Z  Support Tickets (email)                 3',
        '  2026-01-05T10:15:00.000Z  Calls Inbound For Senior Agents         3        2       8m 20s  4m 10s',
      ].join('\n'),
    );
  });

  it("shows Talk's figures, SL % and ASA when the intervals have them (blank for Support)", () => {
    const talk = {
      abandonedInQueue: 1,
      abandonedInIvr: 0,
      abandonedInVoicemail: 1,
      abandonedOnHold: 0,
      failed: 0,
      notAnswered: 0,
      unknownStatus: 1,
      callbacks: 2,
      serviceLevelOffered: 3,
      serviceLevelAnswered: 2,
      answeredCalls: 2,
      answerWaitSeconds: 50,
    };
    const lines = historyTable([
      {
        name: 'Calls Inbound For Billing',
        channel: 'call',
        source: 'talk',
        intervals: [
          {
            start: '2026-01-05T10:00:00.000Z',
            contacts: 6,
            handled: 2,
            handleTimeSeconds: 600,
            ahtSeconds: 300,
            talk,
            serviceLevelPercent: (100 * 2) / 3,
            asaSeconds: 25,
          },
        ],
      },
      {
        name: 'Support (email)',
        channel: 'email',
        source: 'support',
        viewId: 1,
        intervals: [{ start: '2026-01-05T10:15:00.000Z', contacts: 1 }],
      },
    ]).split('\n');
    expect(lines[0]).toContain(
      'abandoned queue  abandoned IVR  abandoned voicemail  abandoned hold  failed  not answered  unknown status  callbacks   SL %  ASA',
    );
    expect(lines[1]?.trimEnd()).toMatch(/ 6 +2 +10m 00s +5m 00s +1 +0 +1 +0 +0 +0 +1 +2 +66\.7% +25s$/);
    expect(lines[2]?.trimEnd()).toMatch(/Support \(email\) +1$/);
  });
  it("shows Support's reopens and backlog when the intervals have them (blank for Talk)", () => {
    const lines = historyTable([
      {
        name: 'Support (email)',
        channel: 'email',
        source: 'support',
        viewId: 1,
        intervals: [
          {
            start: '2026-01-05T10:15:00.000Z',
            contacts: 4,
            support: { reopens: 1, backlogEntered: 3, backlogLeft: 2 },
            backlog: 7,
          },
        ],
      },
      { ...talk, intervals: [talk.intervals[0]!] },
    ]).split('\n');
    expect(lines[0]).toContain('reopens  backlog in  backlog out  backlog');
    expect(lines[1]?.trimEnd()).toMatch(/Calls Inbound For Senior Agents +2 +1 +5m 00s +5m 00s$/);
    expect(lines[2]?.trimEnd()).toMatch(/Support \(email\) +4 +1 +3 +2 +7$/);
  });
});

describe('quarantined records', () => {
  const records: QuarantinedRecord[] = [
    {
      stream: 'ticket_events',
      endpoint: '/api/v2/incremental/ticket_events',
      recordId: 31000000121,
      fingerprint: 'a'.repeat(32),
      position: { startTime: 1772409600 },
      field: 'child_events[0].event_type',
      problem: 'missing or not a string',
      quarantinedAt: '2026-03-02T11:00:00.000Z',
    },
    {
      stream: 'users',
      endpoint: '/api/v2/incremental/users/cursor',
      recordId: null,
      fingerprint: '0123456789abcdef0123456789abcdef',
      position: { cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8' },
      field: 'id',
      problem: 'Invalid input: expected number, received string',
      quarantinedAt: '2026-03-02T11:00:01.000Z',
    },
  ];

  it('--json lists each record with its endpoint, id (or fingerprint), field, problem and page position', () => {
    expect(quarantineDocument(records)).toEqual([
      {
        stream: 'ticket_events',
        endpoint: '/api/v2/incremental/ticket_events',
        recordId: 31000000121,
        field: 'child_events[0].event_type',
        problem: 'missing or not a string',
        position: { startTime: 1772409600 },
        quarantinedAt: '2026-03-02T11:00:00.000Z',
      },
      {
        stream: 'users',
        endpoint: '/api/v2/incremental/users/cursor',
        recordId: null,
        fingerprint: '0123456789abcdef0123456789abcdef',
        field: 'id',
        problem: 'Invalid input: expected number, received string',
        position: { cursor: 'MTU3NjYxMzUzOS4wfHw0Njd8' },
        quarantinedAt: '2026-03-02T11:00:01.000Z',
      },
    ]);
  });

  it('the table names each record, its field and problem, and where its page was read from', () => {
    expect(quarantineTable(records).split('\n')).toEqual([
      '  stream         record                 field                       problem                                          page read from                                    quarantined at',
      '  ticket_events  31000000121            child_events[0].event_type  missing or not a string                          start_time 1772409600 (2026-03-02T00:00:00.000Z)  2026-03-02T11:00:00.000Z',
      '  users          (no id; 0123456789ab)  id                          Invalid input: expected number, received string  cursor MTU3NjYxMzUzOS4wfHw0Njd8                   2026-03-02T11:00:01.000Z',
    ]);
    expect(quarantineTable([])).toBe('  (no quarantined records: every record the exports delivered fitted)');
  });

  it('coverage says how many records were quarantined, by stream, and where to see them', () => {
    expect(
      coverageLines({
        ...report.coverage,
        quarantined: 3,
        quarantinedByStream: { ticket_events: 2, calls: 1 },
      })
        .split('\n')
        .at(-1),
    ).toBe(
      'Quarantined: 3 records that did not fit (ticket_events 2, calls 1), listed by `zendesk-wfm quarantined`',
    );
    expect(coverageLines(report.coverage).split('\n').at(-1)).toBe('Quarantined: none');
  });
});
