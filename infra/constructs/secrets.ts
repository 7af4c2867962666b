import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { secretActions } from '../../shared/pipeline/grants.js';
import { CREDENTIALS_SECRET_PREFIX, WEBHOOK_SECRET_PREFIX, type SecretAccess } from '../function-specs.js';

/**
 * The integrations' secrets, by name prefix only: the stack creates none of them. The integration
 * service creates, replaces and deletes them (one `zendesk-wfm/<integrationId>` per integration for
 * the Zendesk credentials, one `zendesk-wfm-webhook/<integrationId>` for the webhook signing
 * secret), so the grants name the prefix, never `*`. Secrets Manager appends six random characters
 * to a secret's ARN, which the trailing wildcard covers.
 */
export class IntegrationSecrets extends Construct {
  /** ARN pattern of every integration's Zendesk credentials. */
  readonly credentialsArnPattern: string;
  /** ARN pattern of every integration's webhook signing secret. */
  readonly webhookSigningArnPattern: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const pattern = (prefix: string) =>
      Stack.of(this).formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${prefix}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    this.credentialsArnPattern = pattern(CREDENTIALS_SECRET_PREFIX);
    this.webhookSigningArnPattern = pattern(WEBHOOK_SECRET_PREFIX);
  }

  /** Grants exactly the secret actions a function's code performs. */
  grant(grantee: IGrantable, access: SecretAccess): void {
    if (access.credentials) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: secretActions(access.credentials).map((a) => `secretsmanager:${a}`),
          resources: [this.credentialsArnPattern],
        }),
      );
    }
    if (access.webhookSigning) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.webhookSigningArnPattern],
        }),
      );
    }
  }

  /** What the integration service does with secrets (INTEGRATION_ADMIN_GRANTS), on both prefixes. */
  adminStatement(actions: readonly string[]): PolicyStatement {
    return new PolicyStatement({
      actions: actions.map((a) => `secretsmanager:${a}`),
      resources: [this.credentialsArnPattern, this.webhookSigningArnPattern],
    });
  }
}
