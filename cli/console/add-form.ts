import { SECRET_ENV } from '../options.js';
import type { AddFormField, AddFormValues } from './pages.js';

/**
 * The add-integration form as the `integration add` command line it stands for: the same command
 * checks, tests the credentials against Zendesk and saves, so the console has no rules of its own.
 * Secrets travel in the command's environment (as the command line takes them to keep them out of
 * shell history), never in its arguments, and are never put back into a page.
 */
export interface AddCommand {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly values: AddFormValues;
}

export const addCommandFromForm = (form: URLSearchParams): AddCommand => {
  const field = (name: string) => (form.get(name) ?? '').trim();
  const grouping = field('grouping');
  const values: AddFormValues = {
    name: field('name'),
    domain: field('domain'),
    baseUrl: field('baseUrl'),
    username: field('username'),
    credentialKind: field('credentialKind') === 'oauth' ? 'oauth' : 'api_token',
    oauthClientId: field('oauthClientId'),
    grouping: grouping === 'ivr' || grouping === 'phone_number' ? grouping : '',
    interval: field('interval'),
  };
  const argv = ['integration', 'add', '--name', values.name, '--username', values.username];
  if (values.domain !== '') argv.push('--domain', values.domain);
  if (values.baseUrl !== '') argv.push('--base-url', values.baseUrl);
  // No strategy chosen: the command's own "required option --grouping" refusal says so.
  if (grouping !== '') argv.push('--grouping', grouping);
  if (values.interval !== '') argv.push('--interval', values.interval);
  const env: Record<string, string> = {};
  const secret = (name: string, variable: string) => {
    const value = field(name);
    if (value !== '') env[variable] = value;
  };
  if (values.credentialKind === 'api_token') secret('apiToken', SECRET_ENV.apiToken);
  else {
    argv.push('--oauth-client-id', values.oauthClientId);
    secret('oauthClientSecret', SECRET_ENV.clientSecret);
    secret('oauthRefreshToken', SECRET_ENV.refreshToken);
  }
  return { argv, env, values };
};

const FIELD_OF_OPTION: ReadonlyArray<readonly [RegExp, AddFormField]> = [
  [/--name\b/, 'name'],
  [/--domain\b/, 'domain'],
  [/--base-url\b/, 'baseUrl'],
  [/--username\b/, 'username'],
  [/--token\b|ZENDESK_API_TOKEN/, 'apiToken'],
  [/--oauth-client-id\b|ZENDESK_OAUTH_CLIENT_ID/, 'oauthClientId'],
  [/--oauth-client-secret\b|ZENDESK_OAUTH_CLIENT_SECRET/, 'oauthClientSecret'],
  [/--oauth-refresh-token\b|ZENDESK_OAUTH_REFRESH_TOKEN/, 'oauthRefreshToken'],
  [/--grouping\b/, 'grouping'],
  [/--interval\b/, 'interval'],
];

/**
 * The field a refusal of `integration add` concerns. The command names the option at fault in every
 * refusal of its input (a contract its tests pin); Zendesk's refusals of the check name what they
 * refuse: the credentials, the admin role of --username, or the host.
 */
export const fieldOfRefusal = (message: string, values: AddFormValues): AddFormField => {
  const credential: AddFormField = values.credentialKind === 'api_token' ? 'apiToken' : 'oauthClientSecret';
  if (/^wrong credentials\b/.test(message)) return credential;
  if (/^unreachable host\b|does not answer as a Zendesk account/.test(message))
    return values.baseUrl !== '' ? 'baseUrl' : 'domain';
  let first: { at: number; field: AddFormField } | undefined;
  for (const [pattern, field] of FIELD_OF_OPTION) {
    const at = message.search(pattern);
    if (at >= 0 && (first === undefined || at < first.at)) first = { at, field };
  }
  if (first?.field === 'apiToken' && values.credentialKind === 'oauth') return 'oauthClientId';
  return first?.field ?? 'form';
};

/** A command's one-line refusal without its `zendesk-wfm integration add: error:` prefix. */
export const refusalText = (stderr: string): string => {
  const lines = stderr.split('\n').filter((l) => l.includes(': error: '));
  const last = lines.at(-1) ?? stderr.trim().split('\n').at(-1) ?? 'the command failed';
  return last.replace(/^[^:]*: error: /, '').replace(/ \(see `[^`]*--help`\)$/, '');
};
