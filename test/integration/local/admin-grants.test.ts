import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { tableArn } from '../../../local/grant-guard.js';
import { startLocalStack, type LocalStack } from '../../../local/local-stack.js';
import { localPipeline } from '../../../local/pipeline.js';
import { INTEGRATION_ADMIN_GRANTS } from '../../../shared/pipeline/admin-grants.js';
import { IntegrationService, type CredentialChecker } from '../../../shared/pipeline/integrations.js';
import { LocalSecretStore } from '../../../shared/store/secret-store.js';
import { LocalWebhookSecretStore } from '../../../shared/store/webhook-secret-store.js';
import { anIntegrationInput } from '../../support/integrations.js';

/**
 * Rule (local mode as strict as AWS, the operator's side too): the integration service runs locally
 * with clients checked against the integration admin policy the stack deploys
 * (shared/pipeline/admin-grants.ts), so a change of the service that needs an action the policy
 * lacks fails here, as the deployed one would be refused. The policy once lacked UpdateItem, which
 * every change of an integration writes: only a deployment would have shown it.
 */
const input = anIntegrationInput();
const accepted = jest.fn<CredentialChecker>(async () => ({
  kind: 'ok',
  user: { id: 1, email: 'admin@acme.test', role: 'admin' },
}));
const NOW = () => new Date('2026-03-02T12:00:00Z');

describe("the integration service's local clients and the integration admin policy", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('with the policy as deployed: every change of an integration, its credentials and its signing secret goes through', async () => {
    const pipeline = localPipeline(stack, { now: NOW, secrets: new LocalSecretStore() });
    const service = new IntegrationService(pipeline.admin, accepted, () => 'granted');
    await service.create(input);
    await service.update('granted', { name: 'Acme EU' });
    await service.pause('granted');
    await service.resume('granted');
    await service.replaceCredentials('granted', { kind: 'api_token', apiToken: 'tok-secret-456' });
    const signing = pipeline.adminSigningSecrets(new LocalWebhookSecretStore());
    await signing.put('granted', 'whsec-0123456789');
    expect(await signing.get('granted')).toBe('whsec-0123456789');
    await signing.delete('granted');
    const deleted = await service.delete('granted');
    expect({ name: deleted.name, status: deleted.status }).toEqual({ name: 'Acme EU', status: 'deleted' });
  });

  it('without UpdateItem: a pause is refused with AWS’s AccessDeniedException naming the admin principal, the action and the table', async () => {
    const pipeline = localPipeline(stack, {
      now: NOW,
      secrets: new LocalSecretStore(),
      adminGrants: {
        ...INTEGRATION_ADMIN_GRANTS,
        integrations: INTEGRATION_ADMIN_GRANTS.integrations.filter((a) => a !== 'UpdateItem'),
      },
    });
    const service = new IntegrationService(pipeline.admin, accepted, () => 'refused');
    await service.create({ ...input, name: 'Globex' });
    const failure = await service.pause('refused').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const resource = tableArn(stack.tableNames.integrations);
    expect({ name: failure?.name, message: failure?.message }).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::000000000000:assumed-role/zendesk-wfm-integration-admin-role/zendesk-wfm-integration-admin is not authorized to perform: dynamodb:UpdateItem on resource: ${resource} because no identity-based policy allows the dynamodb:UpdateItem action`,
    });
    expect((await service.get('refused')).integration.status).toBe('active');
  });

  it('without CreateSecret: adding an integration is refused before its credentials are stored', async () => {
    const secrets = new LocalSecretStore();
    const pipeline = localPipeline(stack, {
      now: NOW,
      secrets,
      adminGrants: {
        ...INTEGRATION_ADMIN_GRANTS,
        secretActions: INTEGRATION_ADMIN_GRANTS.secretActions.filter((a) => a !== 'CreateSecret'),
      },
    });
    const service = new IntegrationService(pipeline.admin, accepted, () => 'no-secret');
    const failure = await service.create({ ...input, name: 'Initech' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failure?.message).toMatch(
      /is not authorized to perform: secretsmanager:CreateSecret on resource: arn:aws:secretsmanager:[^:]+:000000000000:secret:zendesk-wfm\/no-secret /,
    );
    await expect(secrets.get('no-secret')).rejects.toThrow();
  });
});
