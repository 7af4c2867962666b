import { describe, expect, it } from '@jest/globals';
import { CHANNEL_TABLE, channelOf, type WfmChannel } from '../../../shared/domain/channels.js';

describe('channelOf', () => {
  // SPEC §3's channel table, row by row: the seed's 16 rows and whatsapp.
  const rows: [viaChannel: string, expected: WfmChannel][] = [
    ['email', 'email'],
    ['mobile', 'email'],
    ['web', 'email'],
    ['chat', 'chat'],
    ['native_messaging', 'chat'],
    ['sms', 'social_media'],
    ['any_channel', 'social_media'],
    ['facebook', 'social_media'],
    ['twitter', 'social_media'],
    ['sunshine_conversations_facebook_messenger', 'social_media'],
    ['instagram_dm', 'social_media'],
    ['voice', 'call'],
    ['api', 'case'],
    ['answer_bot_for_web_widget', 'case'],
    ['chat_transcript', 'case'],
    ['mobile_sdk', 'case'],
    ['whatsapp', 'social_media'],
  ];

  it.each(rows)('%s → %s', (viaChannel, expected) => {
    expect(channelOf(viaChannel)).toBe(expected);
  });

  it('has exactly those 17 rows as its table, in one place', () => {
    expect(CHANNEL_TABLE.map((row) => [row.zendeskChannel, row.wfmChannel])).toEqual(rows);
  });

  const unmapped: [viaChannel: string | null][] = [
    ['rule'],
    ['system'],
    ['sample_ticket'],
    ['help_center'],
    [''],
    [null],
    ['999'],
    // A display name is not a via.channel, even when it names a via type ("Web Widget" is web_widget).
    ['Web Widget'],
  ];
  it.each(unmapped)('%p → unmapped', (viaChannel) => {
    expect(channelOf(viaChannel)).toBe('unmapped');
  });

  const tolerated: [viaChannel: string, expected: WfmChannel][] = [
    [' Email ', 'email'],
    ['WhatsApp', 'social_media'],
    // via.channel may be a numeric via id (zendesk-api.md §1.6): 4 mail, 29 chat, 34 phone call inbound, 0 web form.
    ['4', 'email'],
    ['29', 'chat'],
    ['34', 'call'],
    ['0', 'email'],
    ['5', 'case'],
    // Zendesk's via types reference: a channel "can be expressed as a via type (a string value) or a via id".
    ['mail', 'email'],
    ['web_form', 'email'],
    ['phone_call_inbound', 'call'],
    ['voicemail', 'call'],
  ];
  it.each(tolerated)('%p → %s', (viaChannel, expected) => {
    expect(channelOf(viaChannel)).toBe(expected);
  });
});
