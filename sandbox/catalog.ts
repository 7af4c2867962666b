/**
 * The fixed part of the synthetic Zendesk account: channels and their display names, groups,
 * brands, forms, the custom field, triggers, views, Talk numbers and IVR groups, and the word lists
 * the generator draws from. Ids look like Zendesk's (large, sequential per kind).
 */
import { localDay, shiftDay } from './calendar.js';
import { SUPPORT_TYPE, type SandboxCondition } from './truth.js';

export interface ChannelInfo {
  /** `via.channel` */
  readonly name: string;
  /** The top-level `via` display string of an export event made through this channel. */
  readonly display: string;
  /** Relative share of ticket creations. */
  readonly weight: number;
}

/** The 17 mapped channels of SPEC.md plus three unmapped ones. */
export const CHANNELS: readonly ChannelInfo[] = [
  { name: 'email', display: 'Mail', weight: 26 },
  { name: 'web', display: 'Web form', weight: 12 },
  { name: 'mobile', display: 'Mobile', weight: 3 },
  { name: 'chat', display: 'Chat', weight: 10 },
  { name: 'native_messaging', display: 'Messaging', weight: 7 },
  { name: 'sms', display: 'Text', weight: 2 },
  { name: 'any_channel', display: 'Channel Integrations', weight: 1.5 },
  { name: 'facebook', display: 'Facebook Message', weight: 2 },
  { name: 'twitter', display: 'Twitter DM', weight: 1.5 },
  { name: 'sunshine_conversations_facebook_messenger', display: 'Facebook Messenger', weight: 1.5 },
  { name: 'instagram_dm', display: 'Instagram Direct', weight: 2 },
  { name: 'whatsapp', display: 'WhatsApp', weight: 3.5 },
  { name: 'voice', display: 'Phone call (inbound)', weight: 6 },
  { name: 'api', display: 'Web service', weight: 6 },
  { name: 'answer_bot_for_web_widget', display: 'Answer Bot for Web Widget', weight: 2 },
  { name: 'chat_transcript', display: 'Chat Transcript', weight: 2 },
  { name: 'mobile_sdk', display: 'Mobile SDK', weight: 2 },
  { name: 'line', display: 'LINE', weight: 0.8 },
  { name: 'wechat', display: 'WeChat', weight: 0.6 },
  { name: 'telegram', display: 'Telegram', weight: 0.4 },
];

export const RULE_DISPLAY = 'Rule';
export const MERGE_DISPLAY = 'Merge';
/** The export's display name of a ticket an agent's outbound call created (via type 35). */
export const OUTBOUND_CALL_DISPLAY = 'Phone call (outbound)';
/** Agents work in the agent interface: their updates arrive through the web channel. */
export const AGENT_CHANNEL = 'web';

const DISPLAY_BY_NAME = new Map<string, string>(CHANNELS.map((c) => [c.name, c.display]));
/** Display string for a channel; channels the catalog does not know are shown by name. */
export const viaDisplay = (channel: string): string => DISPLAY_BY_NAME.get(channel) ?? channel;

export const SOCIAL_CHANNELS = new Set([
  'sms',
  'any_channel',
  'facebook',
  'twitter',
  'sunshine_conversations_facebook_messenger',
  'instagram_dm',
  'whatsapp',
  'line',
  'wechat',
  'telegram',
]);

export const GROUPS = {
  support: { id: 360001101, name: 'Support' },
  billing: { id: 360001102, name: 'Billing' },
  technical: { id: 360001103, name: 'Technical Support' },
  senior: { id: 360001104, name: 'Senior Agents' },
  sales: { id: 360001105, name: 'Sales' },
  social: { id: 360001106, name: 'Social Media' },
} as const;
export const GROUP_LIST = Object.values(GROUPS);

export const BRANDS = [
  { id: 360000301, name: 'Acme' },
  { id: 360000302, name: 'Acme Outdoor' },
] as const;
export const TICKET_FORMS = [360000222, 360000223] as const;

export const TOPIC_FIELD_ID = 360041597112;
export const TOPICS = ['billing', 'technical', 'account', 'shipping', 'returns'] as const;
/** A date custom field ("Follow-up date"): `YYYY-MM-DD`, read in the account's time zone. */
export const FOLLOW_UP_DATE_FIELD_ID = 360041597113;
/** A checkbox custom field ("Callback requested"). */
export const CALLBACK_FIELD_ID = 360041597114;

/**
 * The account's time zone (account settings, `localization`): its Rails name and IANA name. Not
 * UTC, so that a date custom field's "today" and a date-only due date's 12:00 differ from UTC's.
 */
export const ACCOUNT_TIME_ZONE = { name: 'Auckland', iana: 'Pacific/Auckland' } as const;

/** Addresses tickets are received at (`recipient`), the first the default support address. */
export const RECIPIENTS = ['support@acme.zendesk.com', 'billing@acme.example'] as const;

/** Zendesk locale ids of the users' languages (`locale_id`): English, German, French. */
export const LOCALES = [
  { id: 1, locale: 'en-US' },
  { id: 8, locale: 'de' },
  { id: 16, locale: 'fr' },
] as const;

/** Satisfaction values a ticket can take (`satisfaction_score`), by code (0: never offered). */
export const SATISFACTION_SCORES = ['unoffered', 'offered', 'good', 'bad'] as const;

/**
 * Zendesk's satisfaction reason codes (`reason_code`): 0 no reason provided, 5 the issue took too
 * long to resolve, 6 the issue was not resolved, 7 the agent's knowledge is unsatisfactory, 8 the
 * agent's attitude is unsatisfactory, 100 some other reason.
 */
export const SATISFACTION_REASON_CODES = [0, 5, 6, 7, 8, 100] as const;
/** "The issue was not resolved". */
export const NOT_RESOLVED_REASON = 6;

/** Custom ticket statuses: "Awaiting parts" (pending category), "Customer replied" (open category). */
export const AWAITING_PARTS_STATUS_ID = 360000117;
export const CUSTOMER_REPLIED_STATUS_ID = 360000118;

/** `custom_status_id` of each standard status. */
export const CUSTOM_STATUS_IDS: Readonly<Record<string, number>> = {
  new: 360000111,
  open: 360000112,
  pending: 360000113,
  hold: 360000114,
  solved: 360000115,
  closed: 360000116,
  deleted: 360000116,
};

export const TRIGGERS = {
  routeBilling: { id: 360009901, title: 'Route billing to Billing' },
  routeTechnical: { id: 360009902, title: 'Route technical questions' },
  routeSocial: { id: 360009903, title: 'Route social channels' },
  routeDefault: { id: 360009904, title: 'Route everything else to Support' },
  tagVip: { id: 360009905, title: 'Tag VIP requesters' },
  escalate: { id: 360009906, title: 'Escalate angry customers' },
  routeSales: { id: 360009907, title: 'Route pricing questions to Sales' },
  customerReplied: { id: 360009909, title: 'Mark tickets the customer replied to' },
  offerSurvey: { id: 360009908, title: 'Offer the satisfaction survey on solve' },
  keepSolved: { id: 360009910, title: 'Keep solved tickets solved on a thank-you' },
} as const;
export const CLOSE_AUTOMATION = { id: 360009951, title: 'Close solved tickets after 4 days' };

export const TAGS = [
  'invoice',
  'refund',
  'login',
  'password',
  'shipping',
  'delay',
  'pricing',
  'vip',
  'spam',
  'bug',
  'feature_request',
  'order',
  'escalated',
  'thanks',
] as const;
export const tagIndex = (tag: string): number => {
  const i = (TAGS as readonly string[]).indexOf(tag);
  if (i < 0) throw new Error(`tags: unknown tag ${tag}; the sandbox knows ${TAGS.join(', ')}`);
  return i;
};

export interface CatalogView {
  readonly id: number;
  readonly title: string;
  readonly rawTitle?: string;
  readonly active: boolean;
  readonly isDefault?: boolean;
  /** A personal view: restricted to this user (`restriction.type: "User"`). */
  readonly personalTo?: number;
  readonly conditions: {
    readonly all: readonly SandboxCondition[];
    readonly any: readonly SandboxCondition[];
  };
}

const c = (field: string, operator: string, value: string): SandboxCondition => ({ field, operator, value });
const unsolved = c('status', 'less_than', 'solved');

/**
 * Views of the account: supported ones on status, group, tags, priority, type, a custom field and
 * hours since created; one inactive; one of each unsupported kind; then those of `RULE_VIEWS` and
 * `CONDITION_VIEWS` (whose dates are relative to the account's last day, `dataEnd`).
 */
export const accountViews = (dataEnd: number): CatalogView[] => [
  { id: 360100001, title: 'Support Tickets', active: true, conditions: { all: [unsolved], any: [] } },
  {
    id: 360100002,
    title: 'Billing Queue',
    active: true,
    conditions: {
      all: [unsolved, c('group_id', 'is', String(GROUPS.billing.id))],
      any: [
        c('current_tags', 'includes', 'invoice refund'),
        c(`custom_fields_${TOPIC_FIELD_ID}`, 'is', 'billing'),
      ],
    },
  },
  {
    id: 360100003,
    title: 'Urgent and High Priority',
    active: true,
    conditions: { all: [unsolved, c('priority', 'greater_than', 'normal')], any: [] },
  },
  {
    id: 360100004,
    title: 'Open Incidents',
    active: true,
    conditions: { all: [c('type', 'is', 'incident'), c('status', 'is_not', 'closed')], any: [] },
  },
  {
    id: 360100005,
    title: 'VIP Customers',
    active: true,
    conditions: { all: [unsolved, c('current_tags', 'includes', 'vip')], any: [] },
  },
  {
    id: 360100006,
    title: 'Aging Tickets',
    active: true,
    conditions: { all: [unsolved, c('NEW', 'greater_than', '24')], any: [] },
  },
  {
    id: 360100007,
    title: 'Social Media',
    active: true,
    conditions: {
      all: [
        unsolved,
        c('group_id', 'is', String(GROUPS.social.id)),
        c('current_tags', 'not_includes', 'spam'),
      ],
      any: [],
    },
  },
  {
    id: 360100008,
    title: 'Technical Support (retired)',
    active: false,
    conditions: { all: [unsolved, c('group_id', 'is', String(GROUPS.technical.id))], any: [] },
  },
  {
    id: 360100009,
    title: 'Your unsolved tickets',
    rawTitle: '{{zd.your_unsolved_tickets}}',
    isDefault: true,
    active: true,
    conditions: { all: [unsolved, c('assignee_id', 'is', 'current_user')], any: [] },
  },
  {
    id: 360100010,
    title: "Your groups' tickets",
    active: true,
    conditions: { all: [unsolved, c('group_id', 'is', 'current_groups')], any: [] },
  },
  {
    id: 360100011,
    title: 'SLA breach within 2 hours',
    active: true,
    conditions: { all: [unsolved, c('sla_next_breach_at', 'less_than', '2')], any: [] },
  },
  {
    id: 360100012,
    title: 'New for 8 business hours',
    active: true,
    conditions: { all: [c('status', 'is', 'new'), c('NEW', 'greater_than_business_hours', '8')], any: [] },
  },
  {
    id: 360100013,
    title: 'Phone tickets',
    active: true,
    conditions: { all: [unsolved, c('via_id', 'is', '34')], any: [] },
  },
  {
    id: 360100014,
    title: 'Skills matched',
    active: true,
    conditions: { all: [unsolved, c('skills_match', 'is', 'true')], any: [] },
  },
  {
    id: 360100015,
    title: 'Recently rerouted',
    active: true,
    conditions: { all: [unsolved, c('group_id', 'changed', '')], any: [] },
  },
  ...RULE_VIEWS(),
  ...CONDITION_VIEWS(dataEnd),
];

/**
 * Views that exercise Zendesk's documented view semantics (issue 17) on the tickets the generator
 * makes: priority below high includes tickets without a priority; "hours since open" holds only
 * while the ticket is open, measured from when it last became open; hours with decimals are whole
 * hours ("1.5" is 1). A personal view (restricted to one agent) is that agent's list, counted
 * nowhere. A customer's comment reopens a pending or solved ticket: "hours since open
 * less than 1" holds then, however long ago the ticket was first open.
 */
function RULE_VIEWS(): CatalogView[] {
  return [
    {
      id: 360100016,
      title: 'Below high priority',
      active: true,
      conditions: { all: [unsolved, c('priority', 'less_than', 'high')], any: [] },
    },
    {
      id: 360100017,
      title: 'Reopened within the hour',
      active: true,
      conditions: { all: [c('OPEN', 'less_than', '1')], any: [] },
    },
    {
      id: 360100018,
      title: 'Created within the hour',
      active: true,
      conditions: { all: [unsolved, c('NEW', 'less_than', '1.5')], any: [] },
    },
    {
      id: 360100019,
      title: 'My follow-ups',
      active: true,
      // The account's admin (generator.ts's ADMIN_ID).
      personalTo: 400_000_001,
      conditions: { all: [unsolved], any: [] },
    },
  ];
}

/**
 * The account's sharing agreements (Sharing Agreements API): one it sent to a partner account
 * (`outbound`: tickets are "sent to" it) and one it accepted from another (`inbound`: tickets are
 * "received from" it). An agreement goes one way.
 */
export const SHARING_AGREEMENTS = {
  sentTo: { id: 360_000_951, name: 'Acme Logistics', type: 'outbound' },
  receivedFrom: { id: 360_000_952, name: 'Acme Retail', type: 'inbound' },
} as const;

/** The end user many tickets copy in (CC'd); the admin follows tickets (a follower). */
export const KEY_CONTACT_ID = 410_000_002;
export const FOLLOWING_ADMIN_ID = 400_000_001;

/**
 * Views on the conditions issue 17 asks to support, each on tickets the generator makes: due dates
 * (both API spellings; "hours until … less than" inclusive; tasks only), a date custom field in the account's
 * time zone (within the previous / next N days, before, on), a checkbox (unchecked equals absent),
 * CC'd, followers, satisfaction, requester language, received at, a custom status and the hours
 * since it. Dates are relative to the account's last day (`dataEnd`, in its time zone).
 */
function CONDITION_VIEWS(dataEnd: number): CatalogView[] {
  const today = localDay(dataEnd, ACCOUNT_TIME_ZONE.iana);
  const date = `custom_fields_${FOLLOW_UP_DATE_FIELD_ID}`;
  const callback = `custom_fields_${CALLBACK_FIELD_ID}`;
  const view = (id: number, title: string, all: SandboxCondition[], any: SandboxCondition[] = []) => ({
    id,
    title,
    active: true,
    conditions: { all, any },
  });
  return [
    view(360100020, 'Due within a day', [unsolved, c('until_due_date', 'less_than', '24')]),
    view(360100021, 'Overdue', [unsolved, c('due_at', 'greater_than', '0')]),
    view(360100022, 'Due in more than a day', [c('until_due_at', 'greater_than', '24')]),
    view(360100023, 'Follow-up today or tomorrow', [c(date, 'within_next_n_days', '1')]),
    view(360100024, 'Follow-up in the last two days', [c(date, 'within_previous_n_days', '2')]),
    view(
      360100025,
      'Follow-up on or before a day',
      [],
      [c(date, 'is', shiftDay(today, -1)), c(date, 'less_than', shiftDay(today, -2))],
    ),
    view(360100026, 'Follow-up after a day', [unsolved, c(date, 'greater_than', shiftDay(today, 1))]),
    view(360100027, 'Callback requested', [c(callback, 'is', 'true')]),
    view(360100028, 'No callback', [unsolved, c(callback, 'is', 'false')]),
    view(360100029, 'Key contact copied', [c('cc', 'includes', String(KEY_CONTACT_ID))]),
    view(360100030, 'Followed by the admin', [c('follower', 'includes', String(FOLLOWING_ADMIN_ID))]),
    view(360100031, 'Unhappy customers', [c('satisfaction_score', 'is', 'bad')]),
    view(360100032, 'Happy with a comment', [c('satisfaction_score', 'is', 'good_with_comment')]),
    view(360100033, 'German speakers', [unsolved, c('locale_id', 'is', '8')]),
    view(360100034, 'Billing mailbox', [c('recipient', 'is', RECIPIENTS[1])]),
    // Received at either address: "one or more email addresses".
    view(360100056, 'Any mailbox', [unsolved, c('recipient', 'is', RECIPIENTS.join(' '))]),
    view(360100035, 'Customer replied', [c('custom_status_id', 'is', String(CUSTOMER_REPLIED_STATUS_ID))]),
    view(360100037, 'Assignee silent for a day', [unsolved, c('assignee_updated_at', 'greater_than', '24')]),
    view(360100038, 'Assigned within 2 hours', [c('assigned_at', 'less_than', '2')]),
    view(360100039, 'Requester wrote within the hour', [
      unsolved,
      c('requester_updated_at', 'less_than', '1'),
    ]),
    view(360100040, 'Mentions a refund or invoice', [
      c('description_includes_word', 'includes', 'fund invoice'),
    ]),
    view(360100041, 'Cannot log in', [c('description_includes_word', 'is', 'log in')]),
    view(360100036, 'Customer replied within the hour', [
      c(`custom_status_${CUSTOMER_REPLIED_STATUS_ID}`, 'less_than', '1'),
    ]),
    ...STATUS_AND_GROUP_VIEWS(),
  ];
}

/**
 * Views on the rest of issue 17's conditions, each with tickets the generator makes: the hours
 * since pending / on-hold / solved / closed (phone tickets the agent creates pending, on hold or solved; a
 * customer's thank-you that a trigger keeps solved, a day or more after the solve), which hold only
 * while the ticket is still in that status; the satisfaction reason; the "(assigned group)" group
 * value in both spellings; followers with a CC'd user left out; the service catalog form; ticket
 * sharing, sent to a partner and received from one; the support type, which only the ticket record
 * states.
 */
function STATUS_AND_GROUP_VIEWS(): CatalogView[] {
  const view = (id: number, title: string, all: SandboxCondition[]) => ({
    id,
    title,
    active: true,
    conditions: { all, any: [] },
  });
  return [
    view(360100042, 'Pending since the call', [c('PENDING', 'is', '0')]),
    view(360100043, 'On hold since the call', [c('HOLD', 'less_than', '1')]),
    view(360100044, 'Solved on the call', [c('SOLVED', 'less_than', '1')]),
    view(360100045, 'Thanked a day after the solve', [c('SOLVED', 'greater_than', '24')]),
    // A closed ticket takes no update, so it is in this view only at its closing update (views are
    // evaluated at updates): its backlog entry is never left.
    view(360100054, 'Closed within the hour', [c('CLOSED', 'less_than', '1')]),
    view(360100046, 'Not resolved, says the customer', [
      c('satisfaction_reason_code', 'is', String(NOT_RESOLVED_REASON)),
    ]),
    view(360100047, 'Routed to a group', [unsolved, c('group_id', 'is', 'assigned_group')]),
    view(360100048, 'Not yet routed', [unsolved, c('group_id', 'is_not', '(assigned group)')]),
    view(360100049, 'Followed, key contact not copied', [
      c('follower', 'includes', String(FOLLOWING_ADMIN_ID)),
      c('cc', 'not_includes', String(KEY_CONTACT_ID)),
    ]),
    view(360100050, 'Service catalog requests', [
      unsolved,
      c('service_catalog_form_id', 'is', String(TICKET_FORMS[1])),
    ]),
    view(360100051, 'Shared with logistics', [
      unsolved,
      c('sent_to', 'is', String(SHARING_AGREEMENTS.sentTo.id)),
    ]),
    view(360100052, 'From the retail partner', [
      c('received_from', 'is', String(SHARING_AGREEMENTS.receivedFrom.id)),
    ]),
    view(360100053, 'Unsolved, handled by agents', [unsolved, c('support_type', 'is', SUPPORT_TYPE)]),
    // Privacy: tickets an integration opened with an internal note, until someone replies publicly.
    view(360100055, 'No public comment yet', [unsolved, c('ticket_is_public', 'is', 'private')]),
  ];
}

export interface TalkNumber {
  readonly id: number;
  /** null for digital (browser widget) lines, which have no number. */
  readonly phone: string | null;
  readonly weight: number;
  /** IVR destination groups reachable from this number; empty when IVR is disabled. */
  readonly ivrGroups: readonly string[];
}

export const TALK_NUMBERS: readonly TalkNumber[] = [
  {
    id: 360000771,
    phone: '+493030999000',
    weight: 45,
    ivrGroups: ['Billing', 'Technical Support', 'Senior Agents'],
  },
  { id: 360000772, phone: '+441632960100', weight: 25, ivrGroups: ['Sales', 'Technical Support'] },
  { id: 360000773, phone: '+12025550143', weight: 18, ivrGroups: [] },
  { id: 360000774, phone: '+33185550199', weight: 10, ivrGroups: ['Billing', 'Sales'] },
  { id: 360000775, phone: null, weight: 2, ivrGroups: [] },
];
export const IVR_GROUP_IDS: Readonly<Record<string, number>> = {
  Billing: GROUPS.billing.id,
  'Technical Support': GROUPS.technical.id,
  'Senior Agents': GROUPS.senior.id,
  Sales: GROUPS.sales.id,
};

export const FIRST_NAMES = [
  'Kim',
  'Sam',
  'Alex',
  'Maria',
  'Jonas',
  'Lea',
  'Noah',
  'Emma',
  'Luca',
  'Mia',
  'Ben',
  'Sofia',
  'Paul',
  'Hannah',
  'Elias',
  'Lina',
  'Finn',
  'Clara',
  'Omar',
  'Yuki',
  'Priya',
  'Diego',
  'Ines',
  'Tom',
] as const;
export const LAST_NAMES = [
  'Lee',
  'Schmidt',
  'Garcia',
  'Rossi',
  'Nowak',
  'Dubois',
  'Jensen',
  'Silva',
  'Kowalski',
  'Tanaka',
  'Meyer',
  'Novak',
  'Costa',
  'Berg',
  'Fischer',
  'Moreau',
  'Khan',
  'Larsen',
  'Weber',
  'Romano',
] as const;
export const TIME_ZONES = [
  ['Berlin', 'Europe/Berlin'],
  ['Paris', 'Europe/Paris'],
  ['London', 'Europe/London'],
  ['Eastern Time (US & Canada)', 'America/New_York'],
  ['Tokyo', 'Asia/Tokyo'],
] as const;

export const SUBJECTS: Readonly<Record<(typeof TOPICS)[number], readonly string[]>> = {
  billing: [
    'Charged twice this month',
    'Invoice is missing VAT number',
    'Refund not received',
    'Change payment method',
  ],
  technical: [
    'Cannot log in',
    'App crashes on start',
    'Password reset mail never arrives',
    'Sync fails with error 500',
  ],
  account: ['Change my email address', 'Delete my account', 'Add a second user', 'Update company name'],
  shipping: ['Where is my order?', 'Parcel arrived damaged', 'Change delivery address', 'Delivery is late'],
  returns: [
    'How do I return an item?',
    'Return label does not print',
    'Exchange for another size',
    'Return window',
  ],
};
export const subjectText = (index: number): string => {
  const topic = TOPICS[Math.floor(index / 4) % TOPICS.length]!;
  return SUBJECTS[topic][index % 4]!;
};

/** A ticket's description (its first comment): the subject and one of the customer's lines. */
export const descriptionText = (subject: number, line: number): string =>
  `${subjectText(subject)}. ${CUSTOMER_LINES[line % CUSTOMER_LINES.length]}`;

export const CUSTOMER_LINES = [
  'Any news on this? I am still waiting.',
  'That did not help, the problem is back.',
  'Thanks, but I have one more question.',
  'I tried that and it still does not work.',
  'Please call me back, this is urgent.',
] as const;
export const AGENT_LINES = [
  'Thanks for reaching out. I have looked into this and fixed it for you.',
  'Could you send us a screenshot of the error?',
  'I have issued the refund; it will show within 5 business days.',
  'Your parcel is on its way, here is the tracking link.',
  'We have reset your access. Please try again.',
] as const;
export const NOTE_LINES = [
  'Checked the logs, looks like the known sync bug.',
  'Escalating to second level.',
  'Customer is a key account, handle with care.',
  'Waiting for the warehouse to confirm.',
] as const;
export const SYSTEM_INFO = [
  {
    client: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    location: 'Lyon, ARA, France',
    latitude: 45.76,
    longitude: 4.83,
  },
  {
    client: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)',
    location: 'Berlin, BE, Germany',
    latitude: 52.52,
    longitude: 13.4,
  },
  {
    client: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4)',
    location: 'London, ENG, United Kingdom',
    latitude: 51.51,
    longitude: -0.13,
  },
] as const;

/**
 * Talk `completion_status` values the generator uses, by code: the six the Talk export documents,
 * `failed`, which real exports carry, `not_answered` (Zendesk's call-status article lists both),
 * and `dropped`, a value Zendesk does not document, standing for one it may add: reported as an
 * unknown status, never guessed into another.
 */
export const COMPLETION_STATUSES = [
  'completed',
  'abandoned_in_queue',
  'abandoned_in_ivr',
  'abandoned_in_voicemail',
  'abandoned_on_hold',
  'failed',
  'pending_voicemail',
  'not_answered',
  'dropped',
] as const;

/** The sandbox Talk numbers' maximum queue wait (seconds): a caller still waiting then goes to voicemail. */
export const MAX_QUEUE_WAIT_SECONDS = 120;

/**
 * How a voicemail call (abandoned in voicemail, or pending) reached voicemail: the caller asked for
 * it while waiting in the queue (`customer_requested_voicemail`), the queue's maximum wait ran out
 * (`exceeded_queue_wait_time`), or nobody was on duty to wait for (every fourth call: neither flag).
 * Derived from the call's own data, so no generator draw shifts.
 */
export type VoicemailRoute = 'requested' | 'queue_timeout' | 'no_agents';

export const voicemailRouteOf = (
  status: (typeof COMPLETION_STATUSES)[number],
  waitSeconds: number,
  callIndex: number,
): VoicemailRoute | null => {
  if (status !== 'abandoned_in_voicemail' && status !== 'pending_voicemail') return null;
  if (callIndex % 4 === 0) return 'no_agents';
  return waitSeconds >= MAX_QUEUE_WAIT_SECONDS ? 'queue_timeout' : 'requested';
};
