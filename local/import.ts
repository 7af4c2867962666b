import {
  IntegrationService,
  type CredentialChecker,
  type SavedIntegration,
} from '../shared/pipeline/integrations.js';
import {
  readCoverage,
  readQueueHistories,
  readViewVerdicts,
  type PublishedQueue,
  type ReadbackDeps,
  type ViewVerdict,
} from '../shared/pipeline/readback.js';
import type { CoverageReport } from '../shared/pipeline/coverage.js';
import type { LocalPipeline } from './pipeline.js';
import type { RunOptions, RunReport } from './runner.js';

/**
 * The use case the CLI runs on one machine: create an integration (validated, credentials
 * checked and stored), import it through the local pipeline until idle, and read back what was
 * published. Start the stack with `startLocalStack()` and the pipeline with `localPipeline()`.
 */
export interface ImportResult {
  readonly integration: SavedIntegration;
  readonly run: RunReport;
  readonly queues: PublishedQueue[];
  readonly views: ViewVerdict[];
  readonly coverage: CoverageReport;
}

export const importOnce = async (
  pipeline: LocalPipeline,
  input: unknown,
  options: RunOptions & { checkCredentials?: CredentialChecker; newId?: () => string } = {},
): Promise<ImportResult> => {
  const service = new IntegrationService(pipeline.admin, options.checkCredentials, options.newId);
  const integration = await service.create(input);
  const run = await pipeline.sync(options);
  return { integration, run, ...(await readBack(pipeline, integration.integration.id)) };
};

/** What an integration has published so far: queue histories, view verdicts, coverage counts. */
export const readBack = async (pipeline: { readonly deps: ReadbackDeps }, integrationId: string) => ({
  queues: await readQueueHistories(pipeline.deps, integrationId),
  views: await readViewVerdicts(pipeline.deps, integrationId),
  coverage: await readCoverage(pipeline.deps, integrationId),
});
