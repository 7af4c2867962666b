import { describe, expect, it } from '@jest/globals';
import { addCommandFromForm, fieldOfRefusal, refusalText } from '../../../../cli/console/add-form.js';
import type { AddFormValues } from '../../../../cli/console/pages.js';

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('the add-integration form is the `integration add` command line', () => {
  it('secrets go in the environment, never in the arguments', () => {
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

  it('no grouping chosen: no --grouping, so the command refuses it by name', () => {
    expect(addCommandFromForm(form({ name: 'A', grouping: '' })).argv).not.toContain('--grouping');
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
const SANDBOX: AddFormValues = { ...TOKEN, baseUrl: 'http://127.0.0.1:9' };

describe('fieldOfRefusal: each refusal is shown by the field it concerns', () => {
  it.each<[string, string, AddFormValues, string]>([
    ['a duplicate name', '--name: an integration named "A" already exists', TOKEN, 'name'],
    [
      'a domain that is not a full Zendesk host',
      '--domain must be the full Zendesk host including the subdomain, e.g. example.zendesk.com',
      TOKEN,
      'domain',
    ],
    [
      'no credentials',
      'credentials are required: --token (or ZENDESK_API_TOKEN), or --oauth-client-id',
      TOKEN,
      'apiToken',
    ],
    [
      'no credentials, OAuth chosen',
      'credentials are required: --token (or ZENDESK_API_TOKEN), or --oauth-client-id',
      OAUTH,
      'oauthClientId',
    ],
    ['a wrong API token', 'wrong credentials: Zendesk answered 401', TOKEN, 'apiToken'],
    ['a wrong OAuth client', 'wrong credentials: invalid_client', OAUTH, 'oauthClientSecret'],
    ['not an admin', '--username must be a Zendesk admin: role agent', TOKEN, 'username'],
    ['an unreachable account', 'unreachable host: ENOTFOUND', TOKEN, 'domain'],
    ['an unreachable sandbox', 'unreachable host: ECONNREFUSED', SANDBOX, 'baseUrl'],
    ['no grouping', "required option '--grouping <strategy>' not specified", TOKEN, 'grouping'],
    ['anything else', 'the data folder is full', TOKEN, 'form'],
  ])('%s', (_rule, message, values, field) => {
    expect(fieldOfRefusal(message, values)).toBe(field);
  });

  it('refusalText keeps the message, not the command prefix or the help hint', () => {
    expect(
      refusalText(
        'warning: x\nzendesk-wfm integration add: error: --interval must be 15, 30 or 60 (see `zendesk-wfm integration add --help`)\n',
      ),
    ).toBe('--interval must be 15, 30 or 60');
  });
});
