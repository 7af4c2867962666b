import { describe, expect, it } from '@jest/globals';
import { viaTypeName, viaTypeOf } from '../../../shared/domain/via-types.js';

describe('viaTypeOf', () => {
  const rows: [via: string, type: string | undefined, channel: string | null | undefined][] = [
    ['Web form', 'web_form', 'web'],
    ['Mail', 'mail', 'email'],
    ['Rule', 'rule', 'rule'],
    ['Web service', 'web_service', 'api'],
    ['Phone call (inbound)', 'phone_call_inbound', 'voice'],
    ['Merge', 'merge', null],
    ['mail', 'mail', 'email'],
    ['4', 'mail', 'email'],
    ['19', 'merge', null],
    ['Sample ticket', undefined, undefined],
    ['74', undefined, undefined],
  ];
  it.each(rows)('%p → type %p, channel %p', (via, type, channel) => {
    expect(viaTypeOf(via)?.type).toBe(type);
    expect(viaTypeOf(via)?.channel).toBe(channel);
  });

  it('names display strings in snake case', () => {
    expect(viaTypeName(' Closed ticket ')).toBe('closed_ticket');
    expect(viaTypeName('Sample ticket')).toBe('sample_ticket');
  });

  it('names a messaging channel by its type where its own name is another word', () => {
    expect(viaTypeName('Messaging')).toBe('native_messaging');
    expect(viaTypeName('Native messaging')).toBe('native_messaging');
    expect(viaTypeName('Facebook Messenger')).toBe('sunshine_conversations_facebook_messenger');
    expect(viaTypeName('Instagram Direct')).toBe('instagram_dm');
    expect(viaTypeName('WhatsApp')).toBe('whatsapp');
  });
});
