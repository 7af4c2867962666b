/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`). The stack is environment-agnostic and makes no
 * look-ups, so synthesis needs neither AWS credentials nor a network; `cdk deploy` takes the account
 * and region from the caller's AWS profile.
 */
import { App } from 'aws-cdk-lib';
import { settingsFromContext } from './config.js';
import { PipelineStack } from './pipeline-stack.js';
import { STACK_NAME } from './stack-outputs.js';

const app = new App();
new PipelineStack(app, STACK_NAME, {
  description: 'zendesk-wfm: Zendesk Support and Talk contact volumes into WFM queue histories',
  settings: settingsFromContext((key) => app.node.tryGetContext(key)),
});
app.synth();
