/**
 * The channel of an interaction: SPEC §3's table from Zendesk `via.channel` to WFM channel, the
 * only mapping in the product. Keep it here, as data; everything else asks `channelOf`.
 */
import { viaTypeOf } from './via-types.js';

export const WFM_CHANNELS = ['email', 'chat', 'social_media', 'call', 'case'] as const;

export type WfmChannel = (typeof WFM_CHANNELS)[number];

export interface ChannelRow {
  /** Zendesk `via.channel`. */
  readonly zendeskChannel: string;
  readonly wfmChannel: WfmChannel;
}

/** The seed's 16 rows in its order, then `whatsapp` (in the current version of the same article). */
export const CHANNEL_TABLE: readonly ChannelRow[] = [
  { zendeskChannel: 'email', wfmChannel: 'email' },
  { zendeskChannel: 'mobile', wfmChannel: 'email' },
  { zendeskChannel: 'web', wfmChannel: 'email' },
  { zendeskChannel: 'chat', wfmChannel: 'chat' },
  { zendeskChannel: 'native_messaging', wfmChannel: 'chat' },
  { zendeskChannel: 'sms', wfmChannel: 'social_media' },
  { zendeskChannel: 'any_channel', wfmChannel: 'social_media' },
  { zendeskChannel: 'facebook', wfmChannel: 'social_media' },
  { zendeskChannel: 'twitter', wfmChannel: 'social_media' },
  { zendeskChannel: 'sunshine_conversations_facebook_messenger', wfmChannel: 'social_media' },
  { zendeskChannel: 'instagram_dm', wfmChannel: 'social_media' },
  { zendeskChannel: 'voice', wfmChannel: 'call' },
  { zendeskChannel: 'api', wfmChannel: 'case' },
  { zendeskChannel: 'answer_bot_for_web_widget', wfmChannel: 'case' },
  { zendeskChannel: 'chat_transcript', wfmChannel: 'case' },
  { zendeskChannel: 'mobile_sdk', wfmChannel: 'case' },
  { zendeskChannel: 'whatsapp', wfmChannel: 'social_media' },
];

const byZendeskChannel: ReadonlyMap<string, WfmChannel> = new Map(
  CHANNEL_TABLE.map((row) => [row.zendeskChannel, row.wfmChannel]),
);

export const isWfmChannel = (value: string): value is WfmChannel =>
  (WFM_CHANNELS as readonly string[]).includes(value);

/**
 * The WFM channel of a Zendesk `via.channel`, or "unmapped" (not counted, but reported per channel
 * name). Zendesk writes channels in lower case; surrounding blanks and case are tolerated because
 * a channel that differs only in spelling is the same channel, not a new one. `via.channel` may also
 * be a via id or a via type name (zendesk-api.md §1.6, e.g. `"4"` or `"mail"`): either is read
 * through the via-type table.
 */
export const channelOf = (viaChannel: string | null): WfmChannel | 'unmapped' => {
  if (viaChannel === null) return 'unmapped';
  const name = viaChannel.trim().toLowerCase();
  const direct = byZendeskChannel.get(name);
  if (direct !== undefined) return direct;
  // Zendesk's via types reference: a channel "can be expressed as a via type (a string value) or a
  // via id". Only those exact spellings: a display name ("Web Widget") is not a channel.
  if (!/^[a-z0-9_]+$/.test(name)) return 'unmapped';
  const viaTypeChannel = viaTypeOf(name)?.channel;
  return viaTypeChannel ? (byZendeskChannel.get(viaTypeChannel) ?? 'unmapped') : 'unmapped';
};

/**
 * Channels whose conversations Zendesk records as chat sessions (`ChatStartedEvent` /
 * `ChatEndedEvent` with the messages in the session's history) rather than as one comment per
 * message: live chat, Zendesk messaging (Web Widget and SDKs) and the social messaging channels it
 * connects through Sunshine Conversations. In these channels a session is the contact; a comment
 * an end user appears to write through them (a transcript, a message copied into the ticket) is
 * part of a session, never a contact of its own (SPEC §3, messaging). The Facebook, X/Twitter, SMS
 * and Channel Integrations channels of the ticket era are not listed: their messages are comments.
 */
export const LIVE_CONVERSATION_CHANNELS: ReadonlySet<string> = new Set([
  'chat',
  'chat_transcript',
  'native_messaging',
  'whatsapp',
  'messenger',
  'instagram_dm',
  'line',
  'wechat',
  'telegram',
  'viber',
  'kakaotalk',
  'apple_business_chat',
  'google_business_messages',
  'google_rcs',
  'twilio_sms',
  'messagebird_sms',
]);

/** Whether `viaChannel` is a live conversation channel; every `sunshine_conversations_*` channel is one. */
export const isLiveConversationChannel = (viaChannel: string | null): boolean => {
  if (viaChannel === null) return false;
  const name = viaChannel.trim().toLowerCase();
  return LIVE_CONVERSATION_CHANNELS.has(name) || name.startsWith('sunshine_conversations_');
};
