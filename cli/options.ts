/**
 * Parsing and checking what a person typed, before anything starts: each problem is one
 * `UsageError` naming the option (and, for non-secret options, the value given).
 */
import { isIP } from 'node:net';
import { PERS, type Per } from '../shared/domain/queue-series.js';
import { instantOfLocal, isTimeZone } from '../shared/domain/time-zones.js';
import { CreateIntegrationSchema, type CredentialsInput } from '../shared/pipeline/integrations.js';
import { MAX_WEBHOOK_TICKET_READS_PER_MINUTE } from '../shared/webhook/ticket-reads.js';
import { UsageError, isInputField, optionOfField, type InputField } from './errors.js';

export type GroupingStrategy = 'ivr' | 'phone_number';
export type IntervalMinutes = 15 | 30 | 60;

export const DAY_MS = 86_400_000;
export const DEFAULT_HISTORY_DAYS = 365;
const MAX_HISTORY_DAYS = 3650;
/** Where a sandbox integration says it comes from when only `--base-url` is given. */
export const SANDBOX_DOMAIN = 'sandbox.zendesk.com';

/** Environment variables that keep secrets out of shell history. */
export const SECRET_ENV = {
  apiToken: 'ZENDESK_API_TOKEN',
  clientId: 'ZENDESK_OAUTH_CLIENT_ID',
  clientSecret: 'ZENDESK_OAUTH_CLIENT_SECRET',
  refreshToken: 'ZENDESK_OAUTH_REFRESH_TOKEN',
} as const;

/** The webhook signing secret, kept out of shell history the same way. */
export const WEBHOOK_SECRET_ENV = 'ZENDESK_WEBHOOK_SIGNING_SECRET';

export const parseGrouping = (raw: string): GroupingStrategy => {
  if (raw === 'ivr' || raw === 'phone_number') return raw;
  throw new UsageError(`--grouping must be "ivr" or "phone_number", got "${raw}"`, 'groupingStrategy');
};

export const parseInterval = (raw: string): IntervalMinutes => {
  if (raw === '15' || raw === '30' || raw === '60') return Number(raw) as IntervalMinutes;
  throw new UsageError(`--interval must be 15, 30 or 60 (minutes), got "${raw}"`, 'intervalMinutes');
};

export const parseServiceLevel = (raw: string): number => {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3600)
    throw new UsageError(
      `--service-level must be a whole number of seconds from 1 to 3600, got "${raw}"`,
      'serviceLevelSeconds',
    );
  return Number(raw);
};

export const parsePositiveInteger =
  (option: string) =>
  (raw: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      throw new UsageError(`${option} must be a whole number ≥ 1, got "${raw}"`);
    return Number(raw);
  };

/** A whole number within [min, max]; the message names the option and the range. */
export const parseIntegerInRange =
  (option: string, min: number, max: number) =>
  (raw: string): number => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max)
      throw new UsageError(`${option} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return Number(raw);
  };

/** `--webhook-ticket-reads`: tickets a minute webhooks may have read at once. */
export const parseWebhookTicketReads = (raw: string): number => {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > MAX_WEBHOOK_TICKET_READS_PER_MINUTE)
    throw new UsageError(
      `--webhook-ticket-reads must be a whole number of tickets a minute from 0 to ${MAX_WEBHOOK_TICKET_READS_PER_MINUTE}, got "${raw}"`,
      'webhookTicketReadsPerMinute',
    );
  return Number(raw);
};

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** An address to listen on: an IPv4 or IPv6 address, or a host name such as localhost. */
export const parseListenHost = (raw: string): string => {
  if (isIP(raw) !== 0 || HOST_NAME.test(raw)) return raw;
  throw new UsageError(
    `--host must be an IP address or a host name to listen on, e.g. 127.0.0.1, 0.0.0.0 or localhost; got "${raw}"`,
  );
};

/** Days of ticket events read before the window to build ticket state (0–365, fractions allowed). */
/** A repeatable `--exclude-view` / `--include-view`: Zendesk view ids, collected. */
export const collectViewIds =
  (option: string) =>
  (raw: string, previous: readonly number[] = []): number[] => {
    const ids = raw.split(',').map((part) => part.trim());
    if (!ids.every((id) => /^\d+$/.test(id) && Number(id) > 0))
      throw new UsageError(`${option} must be a Zendesk view id (digits), got "${raw}"`);
    return [...previous, ...ids.map(Number)];
  };

export const parseWarmUpDays = (raw: string): number => {
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || Number(raw) > 365)
    throw new UsageError(`--warm-up-days must be a number of days from 0 to 365, got "${raw}"`);
  return Number(raw);
};

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * An ISO-8601 date (`2026-01-05`, midnight UTC) or date-time with a time zone
 * (`2026-01-05T10:00:00Z`, `2026-01-05T11:00+01:00`). A date-time without a zone is refused
 * rather than read in the machine's zone, and so is a day that does not exist (`2026-02-30`).
 */
export const parseInstant = (option: string, raw: string, timeZone = 'UTC'): Date => {
  const m = INSTANT.exec(raw.trim());
  const refuse = () =>
    new UsageError(
      `${option} must be an ISO-8601 date or date-time with a time zone, e.g. 2026-01-05 or 2026-01-05T10:00:00Z; got "${raw}"`,
    );
  if (!m) throw refuse();
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month - 1 ||
    calendar.getUTCDate() !== day
  )
    throw refuse();
  const ms =
    m[4] === undefined ? instantOfLocal(`${m[1]}-${m[2]}-${m[3]}`, 0, timeZone) : Date.parse(raw.trim());
  if (Number.isNaN(ms)) throw refuse();
  return new Date(ms);
};

/**
 * `--from` / `--to` of a read command: each an instant when given, and `--from` before `--to`. A
 * date without a time is the day's start in `timeZone` (the command's `--tz`, UTC by default): its
 * midnight, or the first instant after it in a zone whose clocks jump over midnight, as the
 * console's days start (`instantOfLocal`), so a day is one period in both.
 */
export const parsePeriod = (
  options: { from?: string; to?: string },
  timeZone = 'UTC',
): { from?: Date; to?: Date } => {
  const from = options.from !== undefined ? parseInstant('--from', options.from, timeZone) : undefined;
  const to = options.to !== undefined ? parseInstant('--to', options.to, timeZone) : undefined;
  if (from && to && from.getTime() >= to.getTime())
    throw new UsageError(`--from must be before --to, got ${from.toISOString()} and ${to.toISOString()}`);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
};

/** `--tz`: an IANA time zone name the runtime knows (`Europe/Berlin`, `America/New_York`, `UTC`). */
export const parseTimeZone = (raw: string): string => {
  if (isTimeZone(raw.trim())) return raw.trim();
  throw new UsageError(
    `--tz must be an IANA time zone name such as Europe/Berlin, America/New_York or UTC; got "${raw}"`,
  );
};

/** `--per`: what a row sums, in the `--tz` time zone. */
export const parsePer = (raw: string): Exclude<Per, 'interval'> => {
  const per = PERS.find((p) => p !== 'interval' && p === raw.trim());
  if (per === undefined || per === 'interval')
    throw new UsageError(`--per must be hour, day or week; got "${raw}"`);
  return per;
};

export interface ImportWindow {
  /** Start of the import (inclusive). */
  readonly since: Date;
  /** End of what is reported (exclusive); `now` unless `--until` was given. */
  readonly until: Date;
  readonly untilGiven: boolean;
  /** Whole days from `since` to now, for the integration's `historyDays`. */
  readonly historyDays: number;
}

export const importWindow = (
  raw: { since?: string; until?: string },
  now: Date,
  defaultHistoryDays = DEFAULT_HISTORY_DAYS,
): ImportWindow => {
  const since =
    raw.since !== undefined
      ? parseInstant('--since', raw.since)
      : new Date(now.getTime() - defaultHistoryDays * DAY_MS);
  const until = raw.until !== undefined ? parseInstant('--until', raw.until) : now;
  if (since.getTime() >= now.getTime())
    throw new UsageError(`--since must be in the past, got ${since.toISOString()}`, 'importFrom');
  if (until.getTime() > now.getTime())
    throw new UsageError(`--until must not be in the future, got ${until.toISOString()}`, 'importUntil');
  if (since.getTime() >= until.getTime())
    throw new UsageError(
      `--since must be before --until, got ${since.toISOString()} and ${until.toISOString()}`,
    );
  const historyDays = Math.ceil((now.getTime() - since.getTime()) / DAY_MS);
  if (historyDays > MAX_HISTORY_DAYS)
    throw new UsageError(`--since must be at most ${MAX_HISTORY_DAYS} days ago, got ${since.toISOString()}`);
  return { since, until, untilGiven: raw.until !== undefined, historyDays };
};

/** The credential options as commander hands them over. */
export interface CredentialOptions {
  /** `--token` without a value: the token is in the environment (kept out of the command line). */
  readonly token?: string | true;
  readonly oauthClientId?: string;
  readonly oauthClientSecret?: string;
  readonly oauthRefreshToken?: string;
  readonly oauthScope?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const fromEnv = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

/**
 * A secret as given in an option, trimmed as the environment's are: a token pasted with a space or
 * a newline is the token, and checked, stored and redacted as the token.
 */
const trimmed = (value: string | undefined): string | undefined => value?.trim();

/**
 * The credentials from the options, or else from the environment (so secrets stay out of shell
 * history). Options decide the kind when they give one; otherwise the environment must give
 * exactly one kind.
 */
export const credentialsFrom = (options: CredentialOptions, env: Env): CredentialsInput => {
  if (options.token !== undefined && options.oauthClientId !== undefined)
    throw new UsageError('give either --token or --oauth-client-id, not both', 'credentials');
  const oauthOption = options.oauthClientId ?? options.oauthClientSecret ?? options.oauthRefreshToken;
  let kind: 'token' | 'oauth' | undefined =
    options.token !== undefined ? 'token' : oauthOption !== undefined ? 'oauth' : undefined;
  if (kind === undefined) {
    const envToken = fromEnv(env, SECRET_ENV.apiToken) !== undefined;
    const envOauth = fromEnv(env, SECRET_ENV.clientId) !== undefined;
    if (envToken && envOauth)
      throw new UsageError(
        `${SECRET_ENV.apiToken} and ${SECRET_ENV.clientId} are both set: choose with --token or --oauth-client-id`,
        'credentials',
      );
    kind = envToken ? 'token' : envOauth ? 'oauth' : undefined;
  }
  if (kind === undefined)
    throw new UsageError(
      `credentials are required: --token (or ${SECRET_ENV.apiToken}), or --oauth-client-id with --oauth-client-secret (or ${SECRET_ENV.clientId}, ${SECRET_ENV.clientSecret})`,
      'credentials',
    );
  if (kind === 'token') {
    if (options.oauthScope !== undefined)
      throw new UsageError('--oauth-scope goes with OAuth credentials, not --token', 'credentials.scope');
    if (oauthOption !== undefined)
      throw new UsageError(
        '--oauth-client-secret and --oauth-refresh-token go with --oauth-client-id, not --token',
        'credentials',
      );
    const apiToken =
      typeof options.token === 'string' ? trimmed(options.token) : fromEnv(env, SECRET_ENV.apiToken);
    if (options.token === true && apiToken === undefined)
      throw new UsageError(`--token: give the token, or set ${SECRET_ENV.apiToken}`, 'credentials.apiToken');
    if (!apiToken?.trim()) throw new UsageError('--token must not be empty', 'credentials.apiToken');
    return { kind: 'api_token', apiToken };
  }
  const clientId = trimmed(options.oauthClientId) ?? fromEnv(env, SECRET_ENV.clientId);
  if (clientId === undefined)
    throw new UsageError(
      `--oauth-client-id (or ${SECRET_ENV.clientId}) is required with --oauth-client-secret`,
      'credentials.clientId',
    );
  const clientSecret = trimmed(options.oauthClientSecret) ?? fromEnv(env, SECRET_ENV.clientSecret);
  if (clientSecret === undefined)
    throw new UsageError(
      `--oauth-client-secret (or ${SECRET_ENV.clientSecret}) is required with --oauth-client-id`,
      'credentials.clientSecret',
    );
  const refreshToken = trimmed(options.oauthRefreshToken) ?? fromEnv(env, SECRET_ENV.refreshToken);
  const scope = options.oauthScope !== undefined ? { scope: options.oauthScope } : {};
  return refreshToken !== undefined
    ? { kind: 'oauth_refresh_token', clientId, clientSecret, refreshToken, ...scope }
    : { kind: 'oauth_client_credentials', clientId, clientSecret, ...scope };
};

export const secretsOf = (credentials: CredentialsInput): string[] =>
  credentials.kind === 'api_token'
    ? [credentials.apiToken]
    : credentials.kind === 'oauth_client_credentials'
      ? [credentials.clientSecret]
      : [credentials.clientSecret, credentials.refreshToken];

export interface TargetOptions {
  readonly domain?: string;
  readonly baseUrl?: string;
}

/** `--domain`, `--base-url` or both (a sandbox that stands in for a named account). */
export const targetFrom = (options: TargetOptions): { domain: string; baseUrl?: string } => {
  if (options.domain === undefined && options.baseUrl === undefined)
    throw new UsageError(
      '--domain is required (e.g. --domain example.zendesk.com), or --base-url for a sandbox',
      'domain',
    );
  return {
    domain: options.domain ?? SANDBOX_DOMAIN,
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
  };
};

/**
 * Checks a new integration's settings with the integration service's own schema before anything
 * starts (no stack, no request, nothing written), naming options instead of fields.
 */
export const checkIntegrationInput = (input: Record<string, unknown>): void => {
  const result = CreateIntegrationSchema.safeParse(input);
  if (result.success) return;
  const seen = new Set<string>();
  const messages: string[] = [];
  let first: InputField | undefined;
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || '(input)';
    const option = optionOfField(field);
    if (seen.has(option)) continue;
    seen.add(option);
    messages.push(`${option} ${issue.message}`);
    if (first === undefined && isInputField(field)) first = field;
  }
  throw new UsageError(messages.join('; '), first);
};
