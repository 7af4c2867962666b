import { FunctionUrlAuthType, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface WebhookProps {
  readonly handler: IFunction;
}

/**
 * Zendesk's way in: a Lambda Function URL. Zendesk cannot sign requests with AWS credentials, so the
 * URL has no IAM auth; the handler checks Zendesk's HMAC signature with the integration's signing
 * secret instead and answers 401 without it.
 */
export class Webhook extends Construct {
  /** The endpoint; Zendesk posts to `<url>integrations/<integrationId>/webhook`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhookProps) {
    super(scope, id);
    this.url = props.handler.addFunctionUrl({ authType: FunctionUrlAuthType.NONE }).url;
  }
}
