/**
 * The options that say which Zendesk account to read and how to sign in, shared by `import`,
 * `integration add` and `integration set-credentials`, and the credential check that runs before
 * anything is started or written.
 */
import type { Command } from 'commander';
import {
  API_TOKEN_WARNING,
  fieldOfCredentialRefusal,
  savedDespite,
  rateLimitedCheckMessage,
  rateLimitWaitMessage,
  zendeskCredentialChecker,
  type CredentialChecker,
  type CredentialsInput,
} from '../shared/pipeline/integrations.js';
import type { ZendeskCredentials } from '../shared/zendesk/auth.js';
import type { CredentialCheck } from '../shared/zendesk/credential-check.js';
import type { CliContext } from './context.js';
import { CommandFailedError, EXIT } from './errors.js';
import {
  SECRET_ENV,
  checkIntegrationInput,
  credentialsFrom,
  parsePositiveInteger,
  secretsOf,
  targetFrom,
  type CredentialOptions,
  type GroupingStrategy,
  type IntervalMinutes,
  type TargetOptions,
} from './options.js';

export const addCredentialOptions = (command: Command): Command =>
  command
    .option(
      '--token [token]',
      `API token of the user (without a value, or not given: ${SECRET_ENV.apiToken}); Zendesk stops accepting them on 30 April 2027`,
    )
    .option('--oauth-client-id <id>', `OAuth client id (or ${SECRET_ENV.clientId})`)
    .option('--oauth-client-secret <secret>', `OAuth client secret (or ${SECRET_ENV.clientSecret})`)
    .option(
      '--oauth-refresh-token <token>',
      `OAuth refresh token from the authorization-code flow (or ${SECRET_ENV.refreshToken}); without it the client-credentials grant is used`,
    )
    .option(
      '--oauth-scope <scopes>',
      'OAuth scope to ask the token endpoint for, space-separated (default: "read" for client credentials, none for a refresh token); a scope Zendesk refuses as invalid_scope is dropped',
    );

export const addAccountOptions = (command: Command): Command =>
  addCredentialOptions(
    command
      .option('--domain <host>', 'the Zendesk host, e.g. example.zendesk.com')
      .option(
        '--base-url <url>',
        'send requests here instead of https://{domain} (a local sandbox; loopback only)',
      )
      .option('--username <email>', 'email of a Zendesk admin'),
  ).option(
    '--export-requests-per-minute <n>',
    "requests per minute to Zendesk's incremental exports (Zendesk allows 10; more with the High Volume API add-on)",
    parsePositiveInteger('--export-requests-per-minute'),
  );

export interface AccountOptions extends CredentialOptions, TargetOptions {
  readonly username?: string;
  readonly exportRequestsPerMinute?: number;
}

export interface Account {
  readonly domain: string;
  readonly baseUrl?: string;
  readonly username: string;
  readonly credentials: CredentialsInput;
}

/** The account from the options and environment; its secrets are redacted from all output from now on. */
export const accountFrom = (ctx: CliContext, options: AccountOptions): Account => {
  const target = targetFrom(options);
  const credentials = credentialsFrom(options, ctx.io.env);
  ctx.redactor.add(...secretsOf(credentials));
  return { ...target, username: options.username ?? '', credentials };
};

export const warnIfApiToken = (ctx: CliContext, credentials: CredentialsInput): void => {
  if (credentials.kind === 'api_token') ctx.warn(API_TOKEN_WARNING);
};

const zendeskCredentials = (username: string, c: CredentialsInput): ZendeskCredentials =>
  c.kind === 'api_token' ? { kind: 'api_token', username, apiToken: c.apiToken } : c;

const refusal = (check: Exclude<CredentialCheck, { kind: 'ok' }>): string => {
  switch (check.kind) {
    case 'wrong_credentials':
      return `wrong credentials: ${check.message}`;
    case 'not_admin':
      return `--username must be a Zendesk admin: ${check.message}`;
    case 'unreachable_or_not_zendesk':
      return `unreachable host: ${check.message}`;
    case 'rate_limited':
      return rateLimitedCheckMessage(check);
  }
};

/** The credential check as the command line runs it: Zendesk's 429s waited out, each wait shown. */
export const cliCredentialChecker = (ctx: CliContext): CredentialChecker =>
  zendeskCredentialChecker(Date.now, {
    onWait: (wait) => ctx.warn(rateLimitWaitMessage(wait)),
  });

/**
 * Checks the credentials against Zendesk before any store is started, so a refusal costs a second
 * and leaves nothing behind; returns a checker that gives the integration service this verdict
 * instead of asking Zendesk twice. With an OAuth refresh token the check rotates it: the rotated
 * token is kept in memory (the one given is revoked) and the returned checker hands it to the
 * service's store before the service does anything else with the credentials.
 */
export const checkAccount = async (
  account: Account,
  checker: CredentialChecker = zendeskCredentialChecker(),
  redactor?: { add(...secrets: (string | undefined)[]): void },
): Promise<CredentialChecker> => {
  let rotated: string | undefined;
  const check = await checker(
    { domain: account.domain, ...(account.baseUrl !== undefined ? { baseUrl: account.baseUrl } : {}) },
    zendeskCredentials(account.username, account.credentials),
    async (refreshToken) => {
      redactor?.add(refreshToken);
      rotated = refreshToken;
    },
  );
  // Unfinished after Zendesk rotated the refresh token: the one given is revoked, so the verdict
  // goes on to the service, which keeps the rotated token (`checkPending`) rather than losing it.
  if (check.kind !== 'ok' && !savedDespite(check, rotated !== undefined))
    // A rate limit is no refusal: the same command succeeds later.
    throw new CommandFailedError(
      refusal(check),
      check.kind === 'rate_limited' ? EXIT.failed : EXIT.refusedByZendesk,
      fieldOfCredentialRefusal(check.kind, account),
    );
  return async (_target, _credentials, saveRefreshToken) => {
    if (rotated !== undefined) await saveRefreshToken(rotated);
    return check;
  };
};

export interface IntegrationSettings {
  readonly name: string;
  readonly groupingStrategy: GroupingStrategy;
  readonly intervalMinutes: IntervalMinutes;
  /** Talk's service-level threshold (seconds); the service's default when absent. */
  readonly serviceLevelSeconds?: number;
  readonly historyDays: number;
  /** Count personal views (restricted to one user) as queues; off by default. */
  readonly includePersonalViews?: boolean;
  /** Tickets a minute webhooks may have read at once; the service's default when absent. */
  readonly webhookTicketReadsPerMinute?: number;
  /** The start of the import a person asked for (`--since`), exactly; else `historyDays` before now. */
  readonly importFrom?: Date;
  /** The end of a one-shot import of a past period (`--until`): nothing from then on is counted. */
  readonly importUntil?: Date;
}

/**
 * What `import` and `integration add` both do before anything starts: the integration service's
 * input from the account and settings, validated (each mistake names its option), the API-token
 * warning, and the credential check against Zendesk.
 */
export const prepareIntegration = async (
  ctx: CliContext,
  account: Account,
  settings: IntegrationSettings,
): Promise<{ input: Record<string, unknown>; checkCredentials: CredentialChecker }> => {
  const input = {
    name: settings.name,
    domain: account.domain,
    ...(account.baseUrl !== undefined ? { baseUrl: account.baseUrl } : {}),
    username: account.username,
    credentials: account.credentials,
    groupingStrategy: settings.groupingStrategy,
    intervalMinutes: settings.intervalMinutes,
    ...(settings.serviceLevelSeconds !== undefined
      ? { serviceLevelSeconds: settings.serviceLevelSeconds }
      : {}),
    historyDays: settings.historyDays,
    ...(settings.includePersonalViews === true ? { includePersonalViews: true } : {}),
    ...(settings.webhookTicketReadsPerMinute !== undefined
      ? { webhookTicketReadsPerMinute: settings.webhookTicketReadsPerMinute }
      : {}),
    ...(settings.importFrom !== undefined ? { importFrom: settings.importFrom.toISOString() } : {}),
    ...(settings.importUntil !== undefined ? { importUntil: settings.importUntil.toISOString() } : {}),
  };
  checkIntegrationInput(input);
  warnIfApiToken(ctx, account.credentials);
  return { input, checkCredentials: await checkAccount(account, cliCredentialChecker(ctx), ctx.redactor) };
};
