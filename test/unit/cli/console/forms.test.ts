import { describe, expect, it } from '@jest/globals';
import type { ErrorReport } from '../../../../cli/errors.js';
import {
  addCommandFromForm,
  addFormFieldOf,
  credentialsFormFieldOf,
  switchCredentialsCommandFromForm,
} from '../../../../cli/console/forms.js';
import type { AddFormValues } from '../../../../cli/console/pages.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('the add-integration form is the `integration add` command line', () => {
  it('secrets go in the environment, never in the arguments (`--token` alone reads it there)', () => {
    const add = addCommandFromForm(
      form({
        name: ' Acme ',
        domain: 'acme.zendesk.com',
        username: 'admin@acme.com',
        credentialKind: 'api_token',
        apiToken: 'tok-123',
        grouping: 'ivr',
        interval: '30',
      }),
    );
    expect(add.argv).toEqual([
      'integration',
      'add',
      '--name',
      'Acme',
      '--username',
      'admin@acme.com',
      '--domain',
      'acme.zendesk.com',
      '--grouping',
      'ivr',
      '--interval',
      '30',
      '--token',
    ]);
    expect(add.env).toEqual({ ZENDESK_API_TOKEN: 'tok-123' });
    expect(JSON.stringify(add.values)).not.toContain('tok-123');
  });

  it('OAuth: the client id is an option, the secret and refresh token environment variables', () => {
    const add = addCommandFromForm(
      form({
        name: 'A',
        baseUrl: 'http://127.0.0.1:9',
        username: 'u@a.com',
        credentialKind: 'oauth',
        oauthClientId: 'wfm',
        oauthClientSecret: 's3',
        oauthRefreshToken: 'r1',
        apiToken: 'ignored',
        grouping: 'phone_number',
        interval: '15',
      }),
    );
    expect(add.argv).toEqual([
      'integration',
      'add',
      '--name',
      'A',
      '--username',
      'u@a.com',
      '--base-url',
      'http://127.0.0.1:9',
      '--grouping',
      'phone_number',
      '--interval',
      '15',
      '--oauth-client-id',
      'wfm',
    ]);
    expect(add.env).toEqual({ ZENDESK_OAUTH_CLIENT_SECRET: 's3', ZENDESK_OAUTH_REFRESH_TOKEN: 'r1' });
  });

  it('no grouping chosen: an empty --grouping, so the command refuses it by its field', () => {
    const argv = addCommandFromForm(form({ name: 'A', grouping: '' })).argv;
    expect(argv.slice(argv.indexOf('--grouping'), argv.indexOf('--grouping') + 2)).toEqual([
      '--grouping',
      '',
    ]);
  });
});

describe('the switch-credentials form is `integration update NAME` with credentials', () => {
  it.each<[string, Record<string, string>, string[], Record<string, string>]>([
    [
      'an API token: --token alone, the token in the environment',
      { credentialKind: 'api_token', apiToken: 'new-tok', oauthClientId: 'ignored' },
      ['integration', 'update', 'Acme EU', '--token'],
      { ZENDESK_API_TOKEN: 'new-tok' },
    ],
    [
      'an OAuth client: its id an option, its secret in the environment',
      { credentialKind: 'oauth', oauthClientId: 'wfm', oauthClientSecret: 's3', apiToken: 'ignored' },
      ['integration', 'update', 'Acme EU', '--oauth-client-id', 'wfm'],
      { ZENDESK_OAUTH_CLIENT_SECRET: 's3' },
    ],
    [
      'nothing given: the command refuses the empty token',
      { credentialKind: 'api_token', apiToken: '' },
      ['integration', 'update', 'Acme EU', '--token'],
      {},
    ],
  ])('%s', (_rule, fields, argv, env) => {
    const change = switchCredentialsCommandFromForm('Acme EU', form(fields));
    expect(change.argv).toEqual(argv);
    expect(change.env).toEqual(env);
  });
});

const TOKEN: AddFormValues = {
  name: 'A',
  domain: 'a.zendesk.com',
  baseUrl: '',
  username: 'u',
  credentialKind: 'api_token',
  oauthClientId: '',
  grouping: 'ivr',
  interval: '15',
};
const OAUTH: AddFormValues = { ...TOKEN, credentialKind: 'oauth' };

const failure = (field?: ErrorReport['field']): ErrorReport => ({
  message: 'refused',
  exitCode: 2,
  ...(field !== undefined ? { field } : {}),
});

describe('a refusal is shown by the form field of the input field the command says it concerns', () => {
  it.each<[string, ErrorReport | undefined, AddFormValues, string]>([
    ['the name', failure('name'), TOKEN, 'name'],
    ['the domain', failure('domain'), TOKEN, 'domain'],
    ['the sandbox address', failure('baseUrl'), TOKEN, 'baseUrl'],
    ['the admin username', failure('username'), TOKEN, 'username'],
    ['the credentials as a whole, an API token given', failure('credentials'), TOKEN, 'apiToken'],
    ['the credentials as a whole, an OAuth client given', failure('credentials'), OAUTH, 'oauthClientSecret'],
    ['the API token', failure('credentials.apiToken'), TOKEN, 'apiToken'],
    ['the OAuth client id', failure('credentials.clientId'), OAUTH, 'oauthClientId'],
    ['the OAuth client secret', failure('credentials.clientSecret'), OAUTH, 'oauthClientSecret'],
    ['the OAuth refresh token', failure('credentials.refreshToken'), OAUTH, 'oauthRefreshToken'],
    ['the grouping strategy', failure('groupingStrategy'), TOKEN, 'grouping'],
    ['the interval', failure('intervalMinutes'), TOKEN, 'interval'],
    ['a field the form does not have', failure('historyDays'), TOKEN, 'form'],
    ['no field (a full disk)', failure(), TOKEN, 'form'],
    ['no failure reported', undefined, TOKEN, 'form'],
  ])('add form: %s', (_rule, given, values, field) => {
    expect(addFormFieldOf(given, values)).toBe(field);
  });

  it.each<[string, ErrorReport, AddFormValues, string]>([
    ['a wrong API token', failure('credentials'), TOKEN, 'apiToken'],
    ['a wrong OAuth client', failure('credentials'), OAUTH, 'oauthClientSecret'],
    ['the OAuth client id', failure('credentials.clientId'), OAUTH, 'oauthClientId'],
    ['the stored admin is no admin: the form as a whole', failure('username'), TOKEN, 'form'],
    ['the account no longer answers: the form as a whole', failure('domain'), TOKEN, 'form'],
  ])('switch-credentials form: %s', (_rule, given, values, field) => {
    expect(credentialsFormFieldOf(given, values)).toBe(field);
  });
});
