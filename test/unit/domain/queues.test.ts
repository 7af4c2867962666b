import { describe, expect, it } from '@jest/globals';
import type { CallRecord } from '../../../shared/domain/records.js';
import { supportQueue, talkQueue, type SourceQueue } from '../../../shared/domain/queues.js';
import type { GroupingStrategy } from '../../../shared/domain/talk.js';
import { call } from '../../support/records.js';

describe('supportQueue', () => {
  it('is named "{view title} ({channel})" and keyed by view id and channel', () => {
    expect(supportQueue({ id: 360100001, title: 'Support Tickets' }, 'chat')).toEqual({
      id: 'support:360100001:chat',
      name: 'Support Tickets (chat)',
      channel: 'chat',
      source: 'support',
      viewId: 360100001,
    });
  });

  it('keeps its id when the view is renamed; the name follows the title', () => {
    const before = supportQueue({ id: 7, title: 'Billing' }, 'email');
    const after = supportQueue({ id: 7, title: 'Billing & refunds' }, 'email');
    expect(after.id).toBe(before.id);
    expect(after.name).toBe('Billing & refunds (email)');
  });

  it('gives each channel of a view its own queue', () => {
    expect(supportQueue({ id: 7, title: 'Billing' }, 'email').id).not.toBe(
      supportQueue({ id: 7, title: 'Billing' }, 'chat').id,
    );
  });
});

describe('talkQueue: every name form', () => {
  const rows: [strategy: GroupingStrategy, fields: Partial<CallRecord>, expected: SourceQueue][] = [
    [
      'ivr',
      { ivrDestinationGroupName: 'Senior Agents' },
      {
        id: 'talk:ivr:Senior Agents',
        name: 'Calls Inbound For Senior Agents',
        channel: 'call',
        source: 'talk',
      },
    ],
    [
      'phone_number',
      { phoneNumber: '+49123456789' },
      {
        id: 'talk:phone_number:+49123456789',
        name: 'Calls Inbound For +49123456789',
        channel: 'call',
        source: 'talk',
      },
    ],
    [
      'ivr',
      { ivrDestinationGroupName: null },
      { id: 'talk:ungrouped', name: 'Calls Inbound Ungrouped', channel: 'call', source: 'talk' },
    ],
    [
      'phone_number',
      { phoneNumber: '' },
      { id: 'talk:ungrouped', name: 'Calls Inbound Ungrouped', channel: 'call', source: 'talk' },
    ],
  ];
  it.each(rows)('%s of %j', (strategy, fields, expected) => {
    expect(talkQueue(call(fields), strategy)).toEqual(expected);
  });
});
