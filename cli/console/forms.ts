import type { ErrorReport, InputField } from '../errors.js';
import { SECRET_ENV } from '../options.js';
import type { AddFormField, AddFormValues, CredentialsFormValues } from './pages.js';

/**
 * The console's forms as the command lines they stand for: the same command checks, tests the
 * credentials against Zendesk and saves, so the console has no rules of its own. Secrets travel in
 * the command's environment (as the command line takes them to keep them out of shell history),
 * never in its arguments, and are never put back into a page.
 */
export interface FormCommand<Values> {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly values: Values;
}

const reader = (form: URLSearchParams) => (name: string) => (form.get(name) ?? '').trim();

/**
 * The credential options of a form: `--token` alone (the token in the environment), or the OAuth
 * client id as an option and its secret and refresh token in the environment.
 */
const credentialArguments = (
  form: URLSearchParams,
): { values: CredentialsFormValues; argv: string[]; env: Record<string, string> } => {
  const field = reader(form);
  const values: CredentialsFormValues = {
    credentialKind: field('credentialKind') === 'oauth' ? 'oauth' : 'api_token',
    oauthClientId: field('oauthClientId'),
  };
  const env: Record<string, string> = {};
  const secret = (name: string, variable: string) => {
    const value = field(name);
    if (value !== '') env[variable] = value;
  };
  if (values.credentialKind === 'api_token') {
    secret('apiToken', SECRET_ENV.apiToken);
    return { values, argv: ['--token'], env };
  }
  secret('oauthClientSecret', SECRET_ENV.clientSecret);
  secret('oauthRefreshToken', SECRET_ENV.refreshToken);
  return { values, argv: ['--oauth-client-id', values.oauthClientId], env };
};

/**
 * `integration add` from the add form. Every option is given, empty or not, so that the command
 * refuses an empty one by its field (an option left out would be commander's untyped refusal).
 */
export const addCommandFromForm = (form: URLSearchParams): FormCommand<AddFormValues> => {
  const field = reader(form);
  const grouping = field('grouping');
  const credentials = credentialArguments(form);
  const values: AddFormValues = {
    name: field('name'),
    domain: field('domain'),
    baseUrl: field('baseUrl'),
    username: field('username'),
    grouping: grouping === 'ivr' || grouping === 'phone_number' ? grouping : '',
    interval: field('interval'),
    ...credentials.values,
  };
  const argv = ['integration', 'add', '--name', values.name, '--username', values.username];
  if (values.domain !== '') argv.push('--domain', values.domain);
  if (values.baseUrl !== '') argv.push('--base-url', values.baseUrl);
  argv.push('--grouping', grouping);
  if (values.interval !== '') argv.push('--interval', values.interval);
  return { argv: [...argv, ...credentials.argv], env: credentials.env, values };
};

/** `integration update NAME` with new credentials, from the switch-credentials form. */
export const switchCredentialsCommandFromForm = (
  name: string,
  form: URLSearchParams,
): FormCommand<CredentialsFormValues> => {
  const credentials = credentialArguments(form);
  return {
    argv: ['integration', 'update', name, ...credentials.argv],
    env: credentials.env,
    values: credentials.values,
  };
};

/** The form field that shows a refusal of an input field; the credentials as a whole by the secret given. */
const formFieldOf = (field: InputField, kind: CredentialsFormValues['credentialKind']): AddFormField => {
  switch (field) {
    case 'name':
    case 'domain':
    case 'baseUrl':
    case 'username':
      return field;
    case 'credentials':
      return kind === 'api_token' ? 'apiToken' : 'oauthClientSecret';
    case 'credentials.apiToken':
      return 'apiToken';
    case 'credentials.clientId':
      return 'oauthClientId';
    case 'credentials.clientSecret':
      return 'oauthClientSecret';
    case 'credentials.refreshToken':
      return 'oauthRefreshToken';
    case 'groupingStrategy':
      return 'grouping';
    case 'intervalMinutes':
      return 'interval';
    default:
      return 'form';
  }
};

/** The field of the add form a failure of `integration add` is shown by: the one the command says it concerns. */
export const addFormFieldOf = (failure: ErrorReport | undefined, values: AddFormValues): AddFormField =>
  failure?.field !== undefined ? formFieldOf(failure.field, values.credentialKind) : 'form';

/** The switch-credentials form shows only the credentials; anything else the command refuses is the form's. */
export const CREDENTIAL_FORM_FIELDS = [
  'apiToken',
  'oauthClientId',
  'oauthClientSecret',
  'oauthRefreshToken',
] as const;
export type CredentialsFormField = (typeof CREDENTIAL_FORM_FIELDS)[number] | 'form';

const isCredentialsFormField = (field: AddFormField): field is CredentialsFormField =>
  field === 'form' || (CREDENTIAL_FORM_FIELDS as readonly string[]).includes(field);

export const credentialsFormFieldOf = (
  failure: ErrorReport | undefined,
  values: CredentialsFormValues,
): CredentialsFormField => {
  const field = failure?.field !== undefined ? formFieldOf(failure.field, values.credentialKind) : 'form';
  return isCredentialsFormField(field) ? field : 'form';
};
