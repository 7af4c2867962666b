/**
 * The fields of an integration's input, as the integration service names them, and the options
 * they come from: what a refusal concerns, from the command that refuses to whoever shows it (the
 * console beside a form's field, a client of serve's API). Apart from errors.ts, which loads the
 * store and the service, so that a command answered by `serve` loads nothing else.
 */

/** The option a field of the integration service's input comes from. */
const OPTION_OF_FIELD = {
  name: '--name',
  domain: '--domain',
  username: '--username',
  credentials: '--token or --oauth-client-id',
  'credentials.apiToken': '--token',
  'credentials.clientId': '--oauth-client-id',
  'credentials.clientSecret': '--oauth-client-secret',
  'credentials.refreshToken': '--oauth-refresh-token',
  'credentials.scope': '--oauth-scope',
  groupingStrategy: '--grouping',
  intervalMinutes: '--interval',
  serviceLevelSeconds: '--service-level',
  historyDays: '--since',
  webhookTicketReadsPerMinute: '--webhook-ticket-reads',
  importFrom: '--since',
  importUntil: '--until',
  baseUrl: '--base-url',
  timeZone: '--time-zone',
  includePersonalViews: '--include-personal-views',
} as const;

/**
 * A field of an integration's input as the integration service names it (`credentials` for the
 * credentials as a whole): what a refusal concerns, from the command that refuses to whoever shows it.
 */
export type InputField = keyof typeof OPTION_OF_FIELD;

export const isInputField = (field: string): field is InputField => Object.hasOwn(OPTION_OF_FIELD, field);

export const optionOfField = (field: string): string =>
  isInputField(field) ? OPTION_OF_FIELD[field] : field;

/** Every field, for a schema that reads one back (serve's API). */
export const INPUT_FIELDS = Object.keys(OPTION_OF_FIELD) as [InputField, ...InputField[]];
