/**
 * The functions of the pipeline and the grants each one's use case declares: what the CDK stack
 * grants its role (infra/function-specs.ts) and what local mode lets it call.
 */
import { WEBHOOK_GRANTS } from '../webhook/receive.js';
import { AGGREGATOR_GRANTS } from './aggregator.js';
import { CHANNEL_MAPPER_GRANTS } from './channel-mapper.js';
import { FETCH_GRANTS } from './fetch.js';
import type { Grants } from './grants.js';
import { withParkedWork } from './parked-work.js';
import { SCHEDULER_GRANTS } from './scheduler.js';
import { VIEW_CLASSIFIER_GRANTS } from './view-classifier.js';

export type FunctionKey =
  'scheduler' | 'fetch' | 'channelMapper' | 'viewClassifier' | 'aggregator' | 'webhook';

export const FUNCTION_GRANTS: Readonly<Record<FunctionKey, Grants>> = {
  scheduler: SCHEDULER_GRANTS,
  // Every consumer may park work: it reads and marks its integration (shared/pipeline/parked-work.ts).
  fetch: withParkedWork(FETCH_GRANTS),
  channelMapper: withParkedWork(CHANNEL_MAPPER_GRANTS),
  viewClassifier: withParkedWork(VIEW_CLASSIFIER_GRANTS),
  aggregator: withParkedWork(AGGREGATOR_GRANTS),
  webhook: WEBHOOK_GRANTS,
};

/** The function's name as deployed and as local mode's denials name it, e.g. `zendesk-wfm-view-classifier`. */
export const functionName = (key: FunctionKey): string =>
  `zendesk-wfm-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
