/**
 * Zendesk via types (zendesk-api.md §4.4): numeric via id, via type name, and the ticket channel
 * (`via.channel`) it belongs to. Needed where Zendesk does not give a `via.channel` string:
 *
 * - the top-level `via` of an export event is the via type's display name ("Web form", "Mail",
 *   "Rule", "Web service" …), not a channel;
 * - `via.channel` "is a string or integer… expressed as a via type or via id" (§1.6), so a channel
 *   may arrive as `"4"` or `"mail"`.
 *
 * Only ids confirmed by Zendesk's via-types table and the 44–57 range backed by two independent
 * sources are listed; the unconfirmed higher ids are left out so they show up as unmapped rather
 * than being guessed.
 */
export interface ViaTypeRow {
  readonly id: number;
  readonly type: string;
  /** The ticket channel, or null for via types that do not create tickets. */
  readonly channel: string | null;
}

export const VIA_TYPES: readonly ViaTypeRow[] = [
  { id: 0, type: 'web_form', channel: 'web' },
  { id: 4, type: 'mail', channel: 'email' },
  { id: 5, type: 'web_service', channel: 'api' },
  { id: 8, type: 'rule', channel: 'rule' },
  { id: 9, type: 'linked_problem', channel: null },
  { id: 10, type: 'group_deletion', channel: null },
  { id: 11, type: 'user_change', channel: null },
  { id: 12, type: 'user_deletion', channel: null },
  { id: 13, type: 'group_change', channel: null },
  { id: 14, type: 'resource_push', channel: null },
  { id: 15, type: 'iphone', channel: null },
  { id: 16, type: 'get_satisfaction', channel: null },
  { id: 17, type: 'dropbox', channel: 'web' },
  { id: 19, type: 'merge', channel: null },
  { id: 20, type: 'batch', channel: 'web' },
  { id: 21, type: 'recovered_from_suspended_tickets', channel: null },
  { id: 22, type: 'automatic_solution_suggestions', channel: null },
  { id: 23, type: 'twitter_favorite', channel: 'twitter' },
  { id: 24, type: 'topic', channel: 'forum' },
  { id: 25, type: 'user_merge', channel: null },
  { id: 26, type: 'twitter_dm', channel: 'twitter' },
  { id: 27, type: 'closed_ticket', channel: 'web' },
  { id: 28, type: 'logmein_rescue', channel: null },
  { id: 29, type: 'chat', channel: 'chat' },
  { id: 30, type: 'twitter', channel: 'twitter' },
  { id: 31, type: 'ticket_sharing', channel: 'api' },
  { id: 32, type: 'macro_reference', channel: null },
  { id: 33, type: 'voicemail', channel: 'voice' },
  { id: 34, type: 'phone_call_inbound', channel: 'voice' },
  { id: 35, type: 'phone_call_outbound', channel: 'voice' },
  { id: 36, type: 'blog', channel: 'api' },
  { id: 37, type: 'text_message', channel: null },
  { id: 38, type: 'facebook_post', channel: 'facebook' },
  { id: 39, type: 'import', channel: 'api' },
  { id: 40, type: 'github', channel: 'api' },
  { id: 41, type: 'facebook_message', channel: 'facebook' },
  { id: 44, type: 'api_voicemail', channel: 'voice' },
  { id: 45, type: 'api_phone_call_inbound', channel: 'voice' },
  { id: 46, type: 'api_phone_call_outbound', channel: 'voice' },
  { id: 48, type: 'web_widget', channel: 'web' },
  { id: 49, type: 'mobile_sdk', channel: 'mobile_sdk' },
  { id: 50, type: 'helpcenter', channel: 'web' },
  { id: 55, type: 'any_channel', channel: 'any_channel' },
  { id: 56, type: 'mobile', channel: 'mobile' },
  { id: 57, type: 'sms', channel: 'sms' },
];

const byId: ReadonlyMap<number, ViaTypeRow> = new Map(VIA_TYPES.map((row) => [row.id, row]));
const byType: ReadonlyMap<string, ViaTypeRow> = new Map(VIA_TYPES.map((row) => [row.type, row]));

/**
 * Display names that do not spell their channel: the names Zendesk gives its messaging channels
 * (Admin Center's messaging channels, the agent interface) where the via type is another word.
 * The export names a flattened child's channel by display name (zendesk-api.md §1.4), so a
 * session that starts through one of them would otherwise read as a channel Zendesk does not have,
 * and go unmapped. Which name Zendesk's export prints is UNCONFIRMED for these channels: a name it
 * spells as its type ("Native messaging", "Instagram DM") needs no entry.
 */
const CHANNEL_DISPLAY_NAMES: ReadonlyMap<string, string> = new Map([
  ['messaging', 'native_messaging'],
  ['facebook_messenger', 'sunshine_conversations_facebook_messenger'],
  ['instagram_direct', 'instagram_dm'],
]);

/**
 * "Web form" → `web_form`, "Phone call (inbound)" → `phone_call_inbound`, "Rule" → `rule`; a
 * messaging channel's own name to its type ("Messaging" → `native_messaging`).
 */
export const viaTypeName = (displayName: string): string => {
  const spelled = displayName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return CHANNEL_DISPLAY_NAMES.get(spelled) ?? spelled;
};

/** The via type named by a display name, a type name or a numeric id (`"Mail"`, `"mail"`, `"4"`). */
export const viaTypeOf = (via: string): ViaTypeRow | undefined => {
  const trimmed = via.trim();
  if (/^\d+$/.test(trimmed)) return byId.get(Number(trimmed));
  return byType.get(viaTypeName(trimmed));
};
