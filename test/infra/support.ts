import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { FunctionKey } from '../../infra/function-specs.js';
import { PipelineStack, type PipelineSettings } from '../../infra/pipeline-stack.js';
import type { QueueKey } from '../../shared/messages/queues.js';
import type { TableKey } from '../../shared/store/tables.js';

/**
 * One synthesis of the stack without bundling (the handlers are only located, not built), and the
 * logical ids of its tables, queues and functions, so assertions can name them by key.
 */
export interface Synthesized {
  readonly stack: PipelineStack;
  readonly template: Template;
  readonly tableId: (key: TableKey) => string;
  readonly queueId: (key: QueueKey) => string;
  readonly dlqId: (key: QueueKey) => string;
  readonly functionId: (key: FunctionKey) => string;
}

export const synthesize = (settings: Partial<PipelineSettings> = {}): Synthesized => {
  // An App without an outdir synthesizes into a temporary folder of its own and leaves it behind;
  // this one is removed once the template is read (nothing below reads the cloud assembly).
  const outdir = mkdtempSync(join(tmpdir(), 'zendesk-wfm-infra-'));
  let stack: PipelineStack;
  let template: Template;
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    stack = new PipelineStack(app, 'Test', { settings });
    template = Template.fromStack(stack);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const idOf = (resource: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(resource.node.defaultChild as CfnResource);
  return {
    stack,
    template,
    tableId: (key) => idOf(stack.storage.table(key)),
    queueId: (key) => idOf(stack.queues.queue(key)),
    dlqId: (key) => idOf(stack.queues.deadLetterQueue(key)),
    functionId: (key) => idOf(stack.functions.function(key)),
  };
};

export type Resource = { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown };

export const resourcesOf = (template: Template, type: string): Record<string, Resource> =>
  template.findResources(type) as Record<string, Resource>;

export const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

/** CDK's own assertions, which throw with a diff when no resource or output matches. */
export const expectResourceWith = (template: Template, type: string, properties: Record<string, unknown>) =>
  template.hasResourceProperties(type, properties);

export const expectOutput = (template: Template, id: string, value: unknown) =>
  template.hasOutput(id, { Value: value });
