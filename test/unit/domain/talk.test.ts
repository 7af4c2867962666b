import { describe, expect, it } from '@jest/globals';
import type { CallRecord } from '../../../shared/domain/records.js';
import {
  groupingKey,
  handleTimeSeconds,
  isHandled,
  isInbound,
  type GroupingStrategy,
} from '../../../shared/domain/talk.js';
import { call } from '../../support/records.js';

describe('isInbound', () => {
  const rows: [direction: string, expected: boolean][] = [
    ['inbound', true],
    ['outbound', false],
    ['internal', false],
  ];
  it.each(rows)('%s → %p', (direction, expected) => {
    expect(isInbound(call({ direction }))).toBe(expected);
  });
});

describe('isHandled', () => {
  const rows: [name: string, call: CallRecord, expected: boolean][] = [
    ['answered and completed', call(), true],
    ['answered, caller hung up on hold', call({ completionStatus: 'abandoned_on_hold' }), true],
    [
      'abandoned in queue (no agent, no talk)',
      call({
        agentId: null,
        talkTime: 0,
        holdTime: 0,
        wrapUpTime: 0,
        completionStatus: 'abandoned_in_queue',
      }),
      false,
    ],
    ['an agent set but no talk time', call({ talkTime: 0 }), false],
    ['failed, talk time null', call({ agentId: null, talkTime: null, completionStatus: 'failed' }), false],
    ['voicemail', call({ agentId: null, talkTime: 0, completionStatus: 'abandoned_in_voicemail' }), false],
  ];
  it.each(rows)('%s → %p', (_name, subject, expected) => {
    expect(isHandled(subject)).toBe(expected);
  });
});

describe('handleTimeSeconds', () => {
  const rows: [name: string, call: CallRecord, expected: number][] = [
    ['talk + hold + wrap-up', call(), 402 + 30 + 95],
    ['nulls count as 0', call({ talkTime: 60, holdTime: null, wrapUpTime: null }), 60],
    ['all null', call({ talkTime: null, holdTime: null, wrapUpTime: null }), 0],
  ];
  it.each(rows)('%s → %d', (_name, subject, expected) => {
    expect(handleTimeSeconds(subject)).toBe(expected);
  });

  it('rejects a negative duration, naming the field', () => {
    expect(() => handleTimeSeconds(call({ holdTime: -1 }))).toThrow(
      'call 360200000001: holdTime must be a non-negative number of seconds, got -1',
    );
  });
});

describe('groupingKey', () => {
  const rows: [strategy: GroupingStrategy, fields: Partial<CallRecord>, expected: string | null][] = [
    ['ivr', {}, 'Billing'],
    ['ivr', { ivrDestinationGroupName: ' Senior Agents ' }, 'Senior Agents'],
    ['ivr', { ivrDestinationGroupName: null }, null],
    ['ivr', { ivrDestinationGroupName: '' }, null],
    ['phone_number', {}, '+493030999000'],
    ['phone_number', { phoneNumber: null }, null],
  ];
  it.each(rows)('%s of %j → %p', (strategy, fields, expected) => {
    expect(groupingKey(call(fields), strategy)).toBe(expected);
  });

  it('rejects an unknown strategy', () => {
    expect(() => groupingKey(call(), 'team' as GroupingStrategy)).toThrow(
      'groupingStrategy must be "ivr" or "phone_number", got "team"',
    );
  });
});
