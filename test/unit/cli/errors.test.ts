import { describe, expect, it } from '@jest/globals';
import { CommandFailedError, EXIT, UsageError, describeError } from '../../../cli/errors.js';
import {
  CredentialsRejectedError,
  ImmutableFieldError,
  IntegrationNotFoundError,
  IntegrationValidationError,
} from '../../../shared/pipeline/integrations.js';
import { DuplicateIntegrationNameError } from '../../../shared/store/integrations-repository.js';
import { MissingSecretError } from '../../../shared/store/secret-store.js';

describe('describeError', () => {
  it.each<[string, unknown, string, number, string | undefined]>([
    [
      'a usage error',
      new UsageError('--since must be in the past'),
      '--since must be in the past',
      EXIT.usage,
      undefined,
    ],
    [
      'a validation error, fields named as options',
      new IntegrationValidationError([
        { field: 'domain', message: 'must be the full Zendesk host' },
        { field: 'credentials.clientSecret', message: 'is required' },
      ]),
      '--domain must be the full Zendesk host; --oauth-client-secret is required',
      EXIT.usage,
      'domain',
    ],
    [
      "a refused time zone or personal-views choice names its option, not the service's field",
      new IntegrationValidationError([
        { field: 'timeZone', message: 'must be an IANA time zone name, e.g. Europe/Berlin' },
        { field: 'includePersonalViews', message: 'must be true or false' },
      ]),
      '--time-zone must be an IANA time zone name, e.g. Europe/Berlin; --include-personal-views must be true or false',
      EXIT.usage,
      'timeZone',
    ],
    [
      'a duplicate name',
      new DuplicateIntegrationNameError('Acme'),
      '--name: an integration named "Acme" already exists (see `zendesk-wfm integration list`)',
      EXIT.usage,
      'name',
    ],
    [
      'a change of the grouping strategy',
      new ImmutableFieldError('groupingStrategy', 'ivr'),
      '--grouping cannot be changed once the integration is saved (it is "ivr"): the whole history is grouped into Talk queues by it, so another value needs a new integration (`integration add`); nothing was changed',
      EXIT.usage,
      'groupingStrategy',
    ],
    [
      'an unknown integration',
      new IntegrationNotFoundError('x1'),
      'integration x1 does not exist',
      EXIT.usage,
      undefined,
    ],
    [
      'refused credentials',
      new CredentialsRejectedError(
        'wrong_credentials',
        'credentials were refused by Zendesk: Couldn’t authenticate you',
      ),
      'credentials were refused by Zendesk: Couldn’t authenticate you',
      EXIT.refusedByZendesk,
      'credentials',
    ],
    [
      'a sandbox that does not answer as Zendesk',
      new CredentialsRejectedError(
        'unreachable_or_not_zendesk',
        'domain does not answer as a Zendesk account: 404',
        {
          baseUrl: 'http://127.0.0.1:9',
        },
      ),
      'domain does not answer as a Zendesk account: 404',
      EXIT.refusedByZendesk,
      'baseUrl',
    ],
    [
      // `integration set-credentials` / `update` meet it through the service: no refusal, exit 1 as `add`.
      'a credential check Zendesk still rate limited after the waits (no refusal of the input)',
      new CredentialsRejectedError(
        'rate_limited',
        "Zendesk's rate limit: the credential check was still answered 429",
      ),
      "Zendesk's rate limit: the credential check was still answered 429",
      EXIT.failed,
      undefined,
    ],
    [
      'a usage error that names its field',
      new UsageError('--grouping must be "ivr" or "phone_number", got ""', 'groupingStrategy'),
      '--grouping must be "ivr" or "phone_number", got ""',
      EXIT.usage,
      'groupingStrategy',
    ],
    [
      'a refusal of the credential check that names its field',
      new CommandFailedError(
        '--username must be a Zendesk admin: role agent',
        EXIT.refusedByZendesk,
        'username',
      ),
      '--username must be a Zendesk admin: role agent',
      EXIT.refusedByZendesk,
      'username',
    ],
    [
      'missing stored credentials',
      new MissingSecretError('x1'),
      'no credentials are stored for integration x1: give them again with `zendesk-wfm integration set-credentials`',
      EXIT.failed,
      undefined,
    ],
    [
      'a worded failure',
      new CommandFailedError('the import failed: 401', EXIT.failed),
      'the import failed: 401',
      EXIT.failed,
      undefined,
    ],
    [
      'anything else, first line only',
      new Error('socket hang up\n    at x (y.js:1:1)'),
      'socket hang up',
      EXIT.failed,
      undefined,
    ],
    ['a thrown string', 'boom', 'boom', EXIT.failed, undefined],
  ])('reports %s (and the input field it concerns)', (_what, error, message, exitCode, field) => {
    expect(describeError(error)).toEqual({ message, exitCode, ...(field !== undefined ? { field } : {}) });
  });
});
