/**
 * The integration service (SPEC §2, §3 "Integration lifecycle"): create, read, list, pause,
 * resume, delete, replace credentials. Credentials are checked against Zendesk before anything is
 * saved and then live only in the secret store; the grouping strategy and the interval are fixed
 * once saved. Every refusal names the field; no message ever contains a secret.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { importRunStart } from '../messages/fetch-job.js';
import { isTimeZone } from '../domain/time-zones.js';
import { MAX_WEBHOOK_TICKET_READS_PER_MINUTE } from '../webhook/ticket-reads.js';
import { DEFAULT_SERVICE_LEVEL_SECONDS, serviceLevelSecondsOf } from '../domain/talk.js';
import {
  IntegrationChangedMeanwhileError,
  DuplicateIntegrationNameError,
  normaliseName,
  type Integration,
  type IntegrationsRepository,
} from '../store/integrations-repository.js';
import { CredentialsSchema } from '../store/secret-store.js';
import { OAUTH_SCOPE_PATTERN, type ZendeskCredentials } from '../zendesk/auth.js';
import { ZendeskClient } from '../zendesk/client.js';
import {
  DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
  waitOutRateLimits,
  type RateLimitWait,
  type RateLimitWaitPolicy,
} from '../zendesk/rate-limit-wait.js';
import type { CredentialCheck } from '../zendesk/credential-check.js';
import type { MessageBus } from '../messages/bus.js';
import type { SecretStore } from '../store/secret-store.js';

export const API_TOKEN_SUNSET = '2027-04-30';
export const API_TOKEN_WARNING = `Zendesk stops accepting API tokens on ${API_TOKEN_SUNSET}: switch this integration to OAuth credentials before then (its history is kept).`;

const DOMAIN_FORM = 'the full Zendesk host including the subdomain, e.g. example.zendesk.com';

const oauthScope = z
  .string()
  .trim()
  .regex(
    OAUTH_SCOPE_PATTERN,
    'must be space-separated Zendesk OAuth scopes, e.g. "read" or "tickets:read users:read"',
  )
  .optional();

export const CredentialsInputSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('api_token'), apiToken: z.string().trim().min(1, 'is required') }),
    z.object({
      kind: z.literal('oauth_client_credentials'),
      clientId: z.string().trim().min(1, 'is required'),
      clientSecret: z.string().trim().min(1, 'is required'),
      scope: oauthScope,
    }),
    z.object({
      kind: z.literal('oauth_refresh_token'),
      clientId: z.string().trim().min(1, 'is required'),
      clientSecret: z.string().trim().min(1, 'is required'),
      refreshToken: z.string().trim().min(1, 'is required'),
      scope: oauthScope,
    }),
  ],
  { error: () => 'must be one of api_token, oauth_client_credentials, oauth_refresh_token' },
);
export type CredentialsInput = z.infer<typeof CredentialsInputSchema>;

export const CreateIntegrationSchema = z.object({
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(100, 'must be at most 100 characters')
    // A control character (an ANSI escape, a newline) or a bidirectional override in a name could
    // rewrite what a listing shows.
    .regex(/^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u, 'must not contain control characters'),
  domain: z
    .string({ error: `is required: ${DOMAIN_FORM}` })
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.zendesk\.com$/i, `must be ${DOMAIN_FORM}`),
  username: z.email({ error: 'must be the email address of a Zendesk user with administrative permissions' }),
  credentials: CredentialsInputSchema,
  groupingStrategy: z.enum(['ivr', 'phone_number'], { error: 'must be "ivr" or "phone_number"' }),
  intervalMinutes: z
    .union([z.literal(15), z.literal(30), z.literal(60)], { error: 'must be 15, 30 or 60' })
    .default(15),
  /** Talk's service-level threshold (seconds); fixed once saved, like the interval. */
  serviceLevelSeconds: z
    .number({ error: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1')
    .max(3600, 'must be at most 3600')
    .default(DEFAULT_SERVICE_LEVEL_SECONDS),
  historyDays: z
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(3650, 'must be at most 3650')
    .default(365),
  /**
   * The start of the import window, exactly (a person's `--since`); by default `historyDays`
   * before now, rounded down to the hour. Fixed at creation: the cursors start from it.
   */
  importFrom: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date and time' }).optional(),
  /**
   * The end of the window for a one-shot import of a past period: nothing from then on is
   * counted, coverage included. Absent for an integration that keeps importing.
   */
  importUntil: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date and time' }).optional(),
  /** Count personal views (restricted to one user) as queues; off by default. */
  includePersonalViews: z.boolean({ error: 'must be true or false' }).optional(),
  /** Tickets a minute webhooks may have read at once (0: none); the default when absent. */
  webhookTicketReadsPerMinute: z
    .number({ error: 'must be a whole number of tickets a minute' })
    .int('must be a whole number of tickets a minute')
    .min(0, 'must be at least 0 (none)')
    .max(MAX_WEBHOOK_TICKET_READS_PER_MINUTE, `must be at most ${MAX_WEBHOOK_TICKET_READS_PER_MINUTE}`)
    .optional(),
  /** Only for the local sandbox: where requests go instead of https://{domain}; loopback only. */
  baseUrl: z
    .url({ error: 'must be an http(s) URL' })
    .refine(
      (u) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(u).hostname),
      'must be a loopback URL (the local sandbox)',
    )
    // It is stored and shown as given: a user or password in it would be printed by every command.
    .refine((u) => {
      const url = new URL(u);
      return url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    }, 'must be the address only, without a user, password, query or fragment (credentials go in their own options)')
    .optional(),
});

/** What `integration update` is asked to change; unknown values are validated by the service. */
export interface IntegrationChanges {
  readonly name?: unknown;
  /** An IANA name, or null to go back to the account's own time zone. */
  readonly timeZone?: unknown;
  readonly includePersonalViews?: unknown;
  readonly groupingStrategy?: unknown;
  readonly intervalMinutes?: unknown;
  readonly serviceLevelSeconds?: unknown;
  readonly historyDays?: unknown;
  readonly webhookTicketReadsPerMinute?: unknown;
}

/** What `update` may change; a time zone of null goes back to the account's own. */
const UpdateIntegrationSchema = z.object({
  name: CreateIntegrationSchema.shape.name.optional(),
  timeZone: z
    .string({ error: 'must be an IANA time zone name, e.g. Europe/Berlin' })
    .refine(isTimeZone, 'must be an IANA time zone name, e.g. Europe/Berlin')
    .nullable()
    .optional(),
  includePersonalViews: z.boolean({ error: 'must be true or false' }).optional(),
  webhookTicketReadsPerMinute: CreateIntegrationSchema.shape.webhookTicketReadsPerMinute,
  historyDays: z
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(3650, 'must be at most 3650')
    .optional(),
});

/** An integration with parked work is resumed by a redrive, which puts that work back first. */
export class ParkedWorkError extends Error {
  override readonly name = 'ParkedWorkError';
  constructor(
    readonly integrationName: string,
    readonly reason: string,
  ) {
    super(`"${integrationName}" has parked work: ${reason}`);
  }
}

export class IntegrationValidationError extends Error {
  override readonly name = 'IntegrationValidationError';
  constructor(readonly issues: readonly { field: string; message: string }[]) {
    super(issues.map((i) => `${i.field} ${i.message}`).join('; '));
  }
}

export type CredentialRefusalKind = Exclude<CredentialCheck['kind'], 'ok'>;

/** The input field a refused credential check concerns (none for a rate limit, which is no refusal of the input). */
export type CredentialRefusalField = 'credentials' | 'username' | 'domain' | 'baseUrl';

export const fieldOfCredentialRefusal = (
  kind: CredentialRefusalKind,
  target: { readonly baseUrl?: string | undefined },
): CredentialRefusalField | undefined => {
  switch (kind) {
    case 'wrong_credentials':
      return 'credentials';
    case 'not_admin':
      return 'username';
    case 'unreachable_or_not_zendesk':
      return target.baseUrl ? 'baseUrl' : 'domain';
    case 'rate_limited':
      return undefined;
  }
};

export class CredentialsRejectedError extends Error {
  override readonly name = 'CredentialsRejectedError';
  /** The field of the input the refusal concerns, for whoever shows it beside that field. */
  readonly field: CredentialRefusalField | undefined;
  constructor(
    readonly kind: CredentialRefusalKind,
    message: string,
    target: { readonly baseUrl?: string | undefined } = {},
  ) {
    super(message);
    this.field = fieldOfCredentialRefusal(kind, target);
  }
}

export class IntegrationNotFoundError extends Error {
  override readonly name = 'IntegrationNotFoundError';
  constructor(id: string) {
    super(`integration ${id} does not exist`);
  }
}

const IMMUTABLE_USE = {
  groupingStrategy: 'grouped into Talk queues',
  intervalMinutes: 'cut into intervals',
  serviceLevelSeconds: "measured against Talk's service level",
} as const;

export class ImmutableFieldError extends Error {
  override readonly name = 'ImmutableFieldError';
  constructor(
    readonly field: 'groupingStrategy' | 'intervalMinutes' | 'serviceLevelSeconds',
    current: string | number,
  ) {
    super(
      `${field} cannot be changed once the integration is saved (it is ${JSON.stringify(current)}): ` +
        `the whole history is ${IMMUTABLE_USE[field]} by it, so another value needs a new integration (\`integration add\`); nothing was changed`,
    );
  }
}

const validate = <T>(schema: z.ZodType<T>, input: unknown): T => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new IntegrationValidationError(
    result.error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message })),
  );
};

const toCredentials = (username: string, c: CredentialsInput): ZendeskCredentials =>
  c.kind === 'api_token' ? { kind: 'api_token', username, apiToken: c.apiToken } : c;

/**
 * Checks credentials against a Zendesk account (one authenticated call); the tests substitute it.
 * With an OAuth refresh token the check itself rotates the token (Zendesk revokes the one it was
 * given), so the rotated token is handed to `saveRefreshToken` before anything else uses it.
 */
export type CredentialChecker = (
  target: { domain: string; baseUrl?: string },
  credentials: ZendeskCredentials,
  saveRefreshToken: (refreshToken: string) => Promise<void>,
) => Promise<CredentialCheck>;

/** How the credential check waits out Zendesk's 429s (SPEC §8: wait as `Retry-After` says, then continue). */
export interface CredentialCheckWaits {
  readonly maxTotalWaitSeconds?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onWait?: RateLimitWaitPolicy['onWait'];
}

export const zendeskCredentialChecker =
  (clock: () => number = Date.now, waits: CredentialCheckWaits = {}): CredentialChecker =>
  (target, credentials, saveRefreshToken) => {
    const client = new ZendeskClient({
      ...(target.baseUrl ? { baseUrl: target.baseUrl } : { domain: target.domain }),
      credentials,
      saveRefreshToken,
      clock,
      maxRetries: 1,
    });
    return waitOutRateLimits(() => client.checkCredentials(), {
      maxTotalWaitSeconds: waits.maxTotalWaitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
      sleep: waits.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      ...(waits.onWait ? { onWait: waits.onWait } : {}),
    });
  };

/** What a person reads before each wait of the credential check for Zendesk's rate limit. */
export const rateLimitWaitMessage = (wait: RateLimitWait): string =>
  `Zendesk is rate limiting requests (429): waiting ${wait.retryAfterSeconds} s as it asks (${wait.waitedSeconds} s waited so far, at most ${wait.maxTotalWaitSeconds} s)`;

/** What a person reads when Zendesk still answers 429 after the waits: whose limit, and when to retry. */
export const rateLimitedCheckMessage = (check: {
  retryAfterSeconds: number;
  waitedSeconds: number;
}): string =>
  `Zendesk's rate limit: the credential check was still answered 429 (Too Many Requests) after waiting ${check.waitedSeconds} s as Zendesk asked; nothing was saved; try again in ${check.retryAfterSeconds} s or later`;

/** The credentials with a rotated refresh token in place of the one they were given. */
const withRefreshToken = (credentials: ZendeskCredentials, refreshToken: string): ZendeskCredentials =>
  credentials.kind === 'oauth_refresh_token' ? { ...credentials, refreshToken } : credentials;

const refusal = (
  check: Exclude<CredentialCheck, { kind: 'ok' }>,
  target: { readonly baseUrl?: string | undefined },
): CredentialsRejectedError => {
  switch (check.kind) {
    case 'wrong_credentials':
      return new CredentialsRejectedError(
        check.kind,
        `credentials were refused by Zendesk: ${check.message}`,
        target,
      );
    case 'not_admin':
      return new CredentialsRejectedError(
        check.kind,
        `username must be a Zendesk user with administrative permissions (the user's role is ${check.role})`,
        target,
      );
    case 'unreachable_or_not_zendesk':
      return new CredentialsRejectedError(
        check.kind,
        `domain does not answer as a Zendesk account: ${check.message}`,
        target,
      );
    case 'rate_limited':
      return new CredentialsRejectedError(check.kind, rateLimitedCheckMessage(check), target);
  }
};

/**
 * The import window [`importFrom`, `importUntil`) of a new integration, as ISO instants: the given
 * start, or `historyDays` before now rounded down to the hour; the given end, which must come
 * after the start.
 */
const importWindowOf = (
  valid: z.infer<typeof CreateIntegrationSchema>,
  now: Date,
): { importFrom: string; importUntil?: string } => {
  const from = new Date(valid.importFrom ?? now.getTime() - valid.historyDays * 86_400_000);
  if (valid.importFrom === undefined) from.setUTCMinutes(0, 0, 0);
  if (valid.importUntil === undefined) return { importFrom: from.toISOString() };
  const until = new Date(valid.importUntil);
  if (until.getTime() <= from.getTime())
    throw new IntegrationValidationError([
      { field: 'importUntil', message: `must be after the start of the import (${from.toISOString()})` },
    ]);
  return { importFrom: from.toISOString(), importUntil: until.toISOString() };
};

export interface SavedIntegration {
  readonly integration: Integration;
  readonly warnings: string[];
  /**
   * Why the credential check did not finish although the credentials were saved: Zendesk rotated
   * the refresh token and then still rate limited the check, or did not answer it
   * (`checkPendingMessage`). Absent when the check passed.
   */
  readonly checkPending?: string;
}

/**
 * What a person reads when the credentials were saved with their check unfinished: the refresh
 * token given is revoked once Zendesk rotated it, so refusing them would leave nothing valid to try
 * again with; the rotated one is kept and the first import's requests check what the check did not.
 */
export const checkPendingMessage = (username: string, check: UnfinishedCheck): string =>
  `the credential check did not finish: Zendesk rotated the OAuth refresh token (the one given is no longer valid) and then ${
    check.kind === 'rate_limited'
      ? `still answered 429 after ${check.waitedSeconds} s of waiting`
      : `did not answer the check (${check.message})`
  }, so the rotated token is kept with the integration; whether ${username} is an admin is checked by the first import, which fails naming Zendesk's refusal if not`;

/** A check that ended without a verdict on the credentials: Zendesk rate limited it or did not answer. */
export type UnfinishedCheck = Extract<
  CredentialCheck,
  { kind: 'rate_limited' | 'unreachable_or_not_zendesk' }
>;

export const isUnfinished = (check: CredentialCheck): check is UnfinishedCheck =>
  check.kind === 'rate_limited' || check.kind === 'unreachable_or_not_zendesk';

/**
 * Whether credentials go on although their check was not `ok`: only a check left unfinished after
 * Zendesk rotated the refresh token, whose token endpoint answered, so the account is there (a
 * refusal never saves anything, SPEC §2; an unfinished check without a rotation leaves the given
 * credentials valid for the next try).
 */
export const savedDespite = (check: CredentialCheck, rotated: boolean): boolean =>
  rotated && isUnfinished(check);

/** What an operator is warned of when looking at an integration. */
export const integrationWarnings = (integration: Integration): string[] => [
  ...(integration.credentialKind === 'api_token' ? [API_TOKEN_WARNING] : []),
  ...(integration.talkUnavailable ? [talkUnavailableWarning(integration.talkUnavailable)] : []),
  ...(integration.timeZoneUnknown && integration.timeZoneChosen !== true
    ? [timeZoneUnknownWarning(integration.timeZoneUnknown, integration.timeZone)]
    : []),
  ...(integration.redriving
    ? [
        `a redrive has been moving its parked work back since ${integration.redriving.since}: no new ` +
          'run starts until it is done. If `infra/redrive.ts` is no longer running (it failed or was ' +
          'stopped), run it again.',
      ]
    : []),
];

/** Which zone the views' date conditions are evaluated in while the account's is not known. */
export const timeZoneUnknownWarning = (
  unknown: NonNullable<Integration['timeZoneUnknown']>,
  inUse: string | undefined,
): string =>
  `${unknown.said === null ? "Zendesk's account settings name no time zone" : `Zendesk's account time zone "${unknown.said}" is not an IANA zone this product knows`} ` +
  `(since ${unknown.since}): the views' date conditions are evaluated in ${inUse ?? 'UTC'}. Choose the account's ` +
  'zone with `integration update --time-zone <zone>` (e.g. Europe/Berlin).';

/** Why no calls are imported: Support goes on, and each run asks Talk again. */
export const talkUnavailableWarning = (talk: NonNullable<Integration['talkUnavailable']>): string =>
  `no Talk calls imported since ${talk.since}: ${talk.reason}. Support's contacts are imported as ` +
  'usual; each run asks for the calls again, and imports them from where they stopped once Zendesk ' +
  'gives Talk to these credentials (an account with Talk, an admin user).';

/**
 * What the integration service touches: an operator's action (the CLI, the admin policy on AWS),
 * not a function of the pipeline.
 */
export interface IntegrationServiceDeps {
  readonly integrations: Pick<
    IntegrationsRepository,
    | 'list'
    | 'get'
    | 'create'
    | 'modify'
    | 'rename'
    | 'markDeleted'
    // Every write of a secret, and `delete`, marks the id while the secret may outlive a
    // process's death, for the sweep (shared/pipeline/unconfirmed-secrets.ts).
    | 'markSecretsUnconfirmed'
    | 'unmarkSecrets'
  >;
  readonly secrets: SecretStore;
  readonly bus: Pick<MessageBus, 'sendFetchJob'>;
  readonly now: () => Date;
}

/** A secret of an integration's besides its credentials (a webhook signing secret), by its id. */
export interface SecretOfIntegration {
  store(id: string): Promise<void>;
  remove(id: string): Promise<void>;
}

/** How often `update` plans again when another writer changed the integration under it. */
const UPDATE_ATTEMPTS = 5;

export class IntegrationService {
  constructor(
    private readonly deps: IntegrationServiceDeps,
    private readonly checkCredentials: CredentialChecker = zendeskCredentialChecker(() =>
      deps.now().getTime(),
    ),
    private readonly newId: () => string = randomUUID,
  ) {}

  /**
   * `beforeSave` stores what else belongs to the new id (a webhook signing secret) before the
   * integration exists, as its credentials are: a process that dies after it leaves an entry no
   * integration uses, never an integration without it (its webhooks refused, and the same `add`
   * refused as a duplicate). The id is marked unconfirmed before anything is stored for it, and
   * the mark removed once the integration is saved or what was stored is removed again.
   */
  async create(input: unknown, beforeSave?: SecretOfIntegration): Promise<SavedIntegration> {
    const valid = validate(CreateIntegrationSchema, input);
    const now = this.deps.now();
    const window = importWindowOf(valid, now);
    const name = valid.name.trim();
    const taken = (await this.deps.integrations.list()).some(
      (i) => i.status !== 'deleted' && normaliseName(i.name) === normaliseName(name),
    );
    if (taken) throw new DuplicateIntegrationNameError(name);
    let credentials = toCredentials(valid.username, valid.credentials);
    const domain = valid.domain.toLowerCase();
    const id = this.newId();
    let rotated = false;
    const mark = this.markOnce(id);
    const storeCredentials = async () => {
      await mark.set();
      await this.deps.secrets.put(id, credentials);
    };
    // A rotated refresh token is stored under the new id at once: it is the only valid one now.
    const check = await this.checkCredentials(
      { domain, ...(valid.baseUrl ? { baseUrl: valid.baseUrl } : {}) },
      credentials,
      async (refreshToken) => {
        credentials = withRefreshToken(credentials, refreshToken);
        await storeCredentials();
        rotated = true;
      },
    );
    const pending = rotated && isUnfinished(check) ? checkPendingMessage(valid.username, check) : undefined;
    if (check.kind !== 'ok' && pending === undefined) {
      if (rotated) {
        await this.deps.secrets.delete(id);
        await mark.remove();
      }
      throw refusal(check, { baseUrl: valid.baseUrl ?? undefined });
    }

    const integration: Integration = {
      id,
      name,
      domain,
      ...(valid.baseUrl ? { baseUrl: valid.baseUrl } : {}),
      username: valid.username,
      credentialKind: credentials.kind,
      groupingStrategy: valid.groupingStrategy,
      intervalMinutes: valid.intervalMinutes,
      serviceLevelSeconds: valid.serviceLevelSeconds,
      historyDays: valid.historyDays,
      ...(valid.includePersonalViews === true ? { includePersonalViews: true } : {}),
      ...(valid.webhookTicketReadsPerMinute !== undefined
        ? { webhookTicketReadsPerMinute: valid.webhookTicketReadsPerMinute }
        : {}),
      importFrom: window.importFrom,
      ...(window.importUntil !== undefined ? { importUntil: window.importUntil } : {}),
      status: 'active',
      statusReason: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await storeCredentials();
    try {
      await beforeSave?.store(integration.id);
      // Saved only while no sweep has claimed the mark; the save removes the mark.
      await this.deps.integrations.create(integration, { marked: true });
    } catch (error) {
      // Why the integration was not saved is the news; a secret left behind is only unused (and
      // its mark stays for the sweep when it could not be removed).
      const removed = await Promise.all(
        [beforeSave?.remove(integration.id), this.deps.secrets.delete(integration.id)].map((removal) =>
          Promise.resolve(removal).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (removed.every(Boolean)) await mark.remove();
      throw error;
    }
    return {
      integration,
      warnings: integrationWarnings(integration),
      ...(pending !== undefined ? { checkPending: pending } : {}),
    };
  }

  /**
   * The mark of `id` while secrets are written for it (see unconfirmed-secrets.ts), set once before
   * the first write (its time then, not the command's start: an AWS sweep's bound counts from it).
   * Its removal may fail: the next sweep removes it, and removes no secret of a live integration.
   */
  private markOnce(id: string): { set(): Promise<void>; remove(): Promise<void> } {
    let marked = false;
    return {
      set: async () => {
        if (marked) return;
        await this.deps.integrations.markSecretsUnconfirmed(id, this.deps.now().toISOString());
        marked = true;
      },
      remove: async () => {
        if (marked) await this.deps.integrations.unmarkSecrets(id).catch(() => undefined);
      },
    };
  }

  /**
   * Stores another secret of an existing integration (a new webhook signing secret), marked as its
   * credentials are: should another command (a client of serve's) delete the integration meanwhile,
   * the secret is removed again, and a process that dies in between leaves it to the sweep.
   */
  async storeSecretOf(id: string, secret: SecretOfIntegration): Promise<void> {
    const { integration } = await this.get(id);
    if (integration.status === 'deleted') throw new IntegrationNotFoundError(id);
    const mark = this.markOnce(id);
    await mark.set();
    await secret.store(id);
    const after = await this.deps.integrations.get(id);
    if (!after || after.status === 'deleted') {
      await secret.remove(id);
      await mark.remove();
      throw new IntegrationNotFoundError(id);
    }
    await mark.remove();
  }

  async get(id: string): Promise<SavedIntegration> {
    const integration = await this.deps.integrations.get(id);
    if (!integration) throw new IntegrationNotFoundError(id);
    return { integration, warnings: integrationWarnings(integration) };
  }

  /** Integrations that are not deleted, by name. */
  async list(): Promise<Integration[]> {
    return (await this.deps.integrations.list()).filter((i) => i.status !== 'deleted');
  }

  /**
   * Settings changes. What may change: the name (unique, as at creation), the time zone date
   * conditions are evaluated in (an IANA name, kept over the account's own from then on; null goes
   * back to the account's), whether personal views are counted, historyDays (kept for the record:
   * the window is fixed at creation). The grouping strategy and the interval are refused when they
   * differ: the history is grouped and cut by them. Nothing is saved when anything is refused.
   */
  async update(id: string, changes: IntegrationChanges): Promise<Integration> {
    for (let attempt = 1; ; attempt++) {
      const { integration, next } = await this.planUpdate(id, changes);
      if (next === integration) return integration;
      try {
        if (next.name !== integration.name) {
          await this.deps.integrations.rename(integration, next);
          return next;
        }
        return await this.modified(id, async (current) => {
          const planned = (await this.planUpdate(id, changes, current)).next;
          // Renamed meanwhile: keeping the name asked for is a rename now, which must claim it.
          if (planned.name !== current.name) throw new IntegrationChangedMeanwhileError(id);
          return planned;
        });
      } catch (error) {
        // Planned again from the integration as it is now (a rename that lost its race included).
        if (!(error instanceof IntegrationChangedMeanwhileError) || attempt === UPDATE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The integration `update` would save, checked (every refusal thrown) without saving anything:
   * a command that also replaces credentials checks both before it writes either. Planned from
   * `current` when given (the integration as `modify` read it), else from the stored one.
   */
  async planUpdate(
    id: string,
    changes: IntegrationChanges,
    current?: Integration,
  ): Promise<{ integration: Integration; next: Integration }> {
    const integration = current ?? (await this.get(id)).integration;
    if (integration.status === 'deleted') throw new IntegrationNotFoundError(id);
    if (changes.groupingStrategy !== undefined && changes.groupingStrategy !== integration.groupingStrategy) {
      throw new ImmutableFieldError('groupingStrategy', integration.groupingStrategy);
    }
    if (changes.intervalMinutes !== undefined && changes.intervalMinutes !== integration.intervalMinutes) {
      throw new ImmutableFieldError('intervalMinutes', integration.intervalMinutes);
    }
    if (
      changes.serviceLevelSeconds !== undefined &&
      changes.serviceLevelSeconds !== serviceLevelSecondsOf(integration)
    ) {
      throw new ImmutableFieldError('serviceLevelSeconds', serviceLevelSecondsOf(integration));
    }
    const valid = validate(UpdateIntegrationSchema, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.timeZone !== undefined ? { timeZone: changes.timeZone } : {}),
      ...(changes.includePersonalViews !== undefined
        ? { includePersonalViews: changes.includePersonalViews }
        : {}),
      ...(changes.historyDays !== undefined ? { historyDays: changes.historyDays } : {}),
      ...(changes.webhookTicketReadsPerMinute !== undefined
        ? { webhookTicketReadsPerMinute: changes.webhookTicketReadsPerMinute }
        : {}),
    });
    if (Object.keys(valid).length === 0) return { integration, next: integration };
    const { name } = valid;
    if (name !== undefined && normaliseName(name) !== normaliseName(integration.name)) {
      const taken = (await this.deps.integrations.list()).some(
        (i) => i.id !== id && i.status !== 'deleted' && normaliseName(i.name) === normaliseName(name),
      );
      if (taken) throw new DuplicateIntegrationNameError(name);
    }
    const {
      timeZone: _zone,
      timeZoneChosen: _chosen,
      timeZoneUnknown: _unknown,
      ...withoutZone
    } = integration;
    const next: Integration = {
      ...(valid.timeZone === undefined ? integration : withoutZone),
      ...(name !== undefined ? { name } : {}),
      ...(typeof valid.timeZone === 'string' ? { timeZone: valid.timeZone, timeZoneChosen: true } : {}),
      ...(valid.includePersonalViews !== undefined
        ? { includePersonalViews: valid.includePersonalViews }
        : {}),
      ...(valid.historyDays !== undefined ? { historyDays: valid.historyDays } : {}),
      ...(valid.webhookTicketReadsPerMinute !== undefined
        ? { webhookTicketReadsPerMinute: valid.webhookTicketReadsPerMinute }
        : {}),
      updatedAt: this.deps.now().toISOString(),
    };
    return { integration, next };
  }

  /**
   * The user's view choices: an excluded view keeps its verdict and counts nothing; an included
   * view is counted again (its history replayed at the next views import) and, if personal,
   * counted although personal views are not. The last word on a view wins.
   */
  async chooseViews(
    id: string,
    choices: { exclude?: readonly number[]; include?: readonly number[] },
  ): Promise<Integration> {
    return this.modified(id, (integration) => {
      const excluded = new Set(integration.excludedViewIds ?? []);
      const included = new Set(integration.includedViewIds ?? []);
      for (const viewId of choices.exclude ?? []) {
        excluded.add(viewId);
        included.delete(viewId);
      }
      for (const viewId of choices.include ?? []) {
        included.add(viewId);
        excluded.delete(viewId);
      }
      return {
        ...integration,
        excludedViewIds: [...excluded].sort((a, b) => a - b),
        includedViewIds: [...included].sort((a, b) => a - b),
        updatedAt: this.deps.now().toISOString(),
      };
    });
  }

  async pause(id: string): Promise<Integration> {
    return this.setStatus(id, 'paused', 'paused by the user');
  }

  /** Active again, and an import run starts at once: the cursors kept their place, so what was missed is read now. */
  async resume(id: string): Promise<Integration> {
    // Asked of the integration as it is written: work parked meanwhile keeps it held.
    const integration = await this.setStatus(id, 'active', null, (current) => {
      if (current.parked && current.parked.length > 0)
        throw new ParkedWorkError(current.name, current.statusReason ?? 'work is parked');
    });
    await this.deps.bus.sendFetchJob(importRunStart(id, `resume-${this.deps.now().toISOString()}`));
    return integration;
  }

  /**
   * Stops the integration and removes its secret, and what else `removeAlso` removes for its id (a
   * webhook signing secret); its queues, history and coverage stay. The id is marked unconfirmed
   * until they are gone, so a process that dies after the integration is marked deleted leaves
   * them to the sweep, not for good.
   */
  async delete(id: string, removeAlso?: (id: string) => Promise<void>): Promise<Integration> {
    const { integration } = await this.get(id);
    const deleted: Integration = {
      ...integration,
      status: 'deleted',
      statusReason: 'deleted by the user',
      updatedAt: this.deps.now().toISOString(),
    };
    await this.deps.integrations.markSecretsUnconfirmed(id, deleted.updatedAt);
    if (integration.status !== 'deleted') await this.deps.integrations.markDeleted(deleted);
    await this.deps.secrets.delete(id);
    await removeAlso?.(id);
    // The delete is done: a mark left here is removed by the next sweep, which finds it deleted
    // with nothing left to remove.
    await this.deps.integrations.unmarkSecrets(id).catch(() => undefined);
    return deleted;
  }

  /** New credentials (e.g. API token → OAuth), checked first; history, cursors and settings are kept. */
  async replaceCredentials(id: string, input: unknown): Promise<SavedIntegration> {
    const { integration } = await this.get(id);
    if (integration.status === 'deleted') throw new IntegrationNotFoundError(id);
    let credentials = toCredentials(integration.username, validate(CredentialsInputSchema, input));
    CredentialsSchema.parse(credentials);
    let previous: ZendeskCredentials | undefined;
    let rotated = false;
    // Marked before they are written: should another command (a client of serve's) delete the
    // integration meanwhile, a process that dies before it looks again leaves them to the sweep.
    const mark = this.markOnce(id);
    // A rotated refresh token is stored at once (the one given is revoked by now); the previous
    // credentials come back if the new ones are then refused.
    const check = await this.checkCredentials(
      { domain: integration.domain, ...(integration.baseUrl ? { baseUrl: integration.baseUrl } : {}) },
      credentials,
      async (refreshToken) => {
        credentials = withRefreshToken(credentials, refreshToken);
        previous ??= await this.deps.secrets.get(id);
        await mark.set();
        await this.deps.secrets.put(id, credentials);
        rotated = true;
      },
    );
    const pending =
      rotated && isUnfinished(check) ? checkPendingMessage(integration.username, check) : undefined;
    if (check.kind !== 'ok' && pending === undefined) {
      if (previous) await this.deps.secrets.put(id, previous);
      await mark.remove();
      throw refusal(check, { baseUrl: integration.baseUrl ?? undefined });
    }
    await mark.set();
    await this.deps.secrets.put(id, credentials);
    const credentialKind = credentials.kind;
    const next = await this.modified(id, (current) => {
      // Parked work keeps it failing until it is redriven: its queues hold later messages behind it.
      const healed = current.status === 'failing' && !current.parked;
      const { failure: _failure, ...rest } = current;
      return {
        ...(healed ? { ...rest, status: 'active', statusReason: null } : current),
        credentialKind,
        updatedAt: this.deps.now().toISOString(),
      };
    }).catch(async (error: unknown) => {
      // Deleted meanwhile: the credentials just stored must not outlive it.
      if (error instanceof IntegrationNotFoundError) {
        await this.deps.secrets.delete(id);
        await mark.remove();
      }
      throw error;
    });
    await mark.remove();
    return {
      integration: next,
      warnings: integrationWarnings(next),
      ...(pending !== undefined ? { checkPending: pending } : {}),
    };
  }

  /** The status set, after `check` (which throws to refuse) has seen the integration it changes. */
  private async setStatus(
    id: string,
    status: 'active' | 'paused',
    reason: string | null,
    check: (current: Integration) => void = () => undefined,
  ): Promise<Integration> {
    return this.modified(id, (current) => {
      check(current);
      const { failure: _failure, ...rest } = current;
      return { ...rest, status, statusReason: reason, updatedAt: this.deps.now().toISOString() };
    });
  }

  /** The integration as `change` left it; IntegrationNotFoundError when it is absent or deleted. */
  private async modified(
    id: string,
    change: (current: Integration) => Integration | Promise<Integration>,
  ): Promise<Integration> {
    const stored = await this.deps.integrations.modify(id, change);
    if (!stored) throw new IntegrationNotFoundError(id);
    return stored;
  }
}
