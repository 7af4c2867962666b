import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { PROJECT_ROOT } from '../../infra/constructs/pipeline-function.js';
import { ALL_FUNCTION_SPECS, type FunctionKey } from '../../infra/function-specs.js';
import { readBack } from '../../local/import.js';
import { runPipelineUntilIdle, type PipelineHandlers, type QueueHandler } from '../../local/runner.js';
import { ALL_QUEUES } from '../../shared/messages/queues.js';
import { IntegrationService } from '../../shared/pipeline/integrations.js';
import { secretName } from '../../shared/store/secret-store.js';
import { startSecretsManagerStandIn } from '../support/secrets-manager-stand-in.js';
import { integrationInput, startWorld, worldTruth, type World } from './support.js';

/**
 * Rule (issue "the bundles run"): the sandbox's tiny account imported through the handlers as
 * `cdk synth` bundles them (one minified ESM file per function, not the TypeScript sources), on
 * DynamoDB Local and the SQS emulator, publishes the ground truth. A bundling mistake — a missing
 * dependency, an ESM/CJS problem, a top-level import that needs AWS — fails the import of a bundle
 * or its run. Run twice: once with the local pipeline's dependencies handed in, each function's
 * grants enforced; once through the handlers the bundles export, which build their clients from
 * the environment a Lambda gets (tables, queues, endpoints) and read the credentials from Secrets
 * Manager (a stand-in on a loopback port), as on AWS. That second run checks the configuration a
 * function reads; its clients are built inside the bundle, out of the local grant check's reach, so
 * the grants are the first run's to prove.
 */
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'zendesk-wfm-bundles-'));
const nowhere = join(out, 'nowhere');

/** As a fresh clone offline: no AWS credentials, no Docker, every HTTP(S) request to a closed port. */
const offlineEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_)/.test(k))),
  AWS_SHARED_CREDENTIALS_FILE: join(nowhere, 'credentials'),
  AWS_CONFIG_FILE: join(nowhere, 'config'),
  CDK_DOCKER: join(nowhere, 'docker'),
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  NO_PROXY: '',
});

interface Bundle {
  readonly handler: unknown;
  readonly createHandler: (deps: () => unknown) => QueueHandler;
}

const lambdaContext = {
  functionName: 'zendesk-wfm-scheduler',
  awsRequestId: 'bundle-test',
  getRemainingTimeInMillis: () => 60_000,
} as Context;
type ScheduleHandler = (event: { time: string }, context: Context) => Promise<{ integrations: string[] }>;

const bundles = new Map<FunctionKey, Bundle>();
let world: World;

beforeAll(async () => {
  const [started] = await Promise.all([
    startWorld('tiny'),
    run(join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', out], {
      cwd: PROJECT_ROOT,
      env: offlineEnv(),
    }),
  ]);
  world = started;
  const template = JSON.parse(readFileSync(join(out, 'ZendeskWfm.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  for (const spec of ALL_FUNCTION_SPECS) {
    const fn = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Metadata?.['aws:cdk:path']?.startsWith(`ZendeskWfm/Functions/${spec.key}/`),
    )!;
    const file = join(out, fn.Metadata!['aws:asset:path']!, 'index.mjs');
    bundles.set(spec.key, (await import(pathToFileURL(file).href)) as Bundle);
  }
  // A fuse for a synth that hangs, not a bound on a slow one: a busy machine makes it slower.
}, 15 * 60_000);

afterAll(async () => {
  await world?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('the tiny account through the bundles cdk synth writes', () => {
  it('every bundle loads without AWS configuration and exports its handler', () => {
    expect(ALL_FUNCTION_SPECS.map((s) => typeof bundles.get(s.key)?.handler)).toEqual(
      ALL_FUNCTION_SPECS.map(() => 'function'),
    );
  });

  it('publishes exactly the ground truth', async () => {
    const functions = world.pipeline.functions;
    const bundled = (key: FunctionKey, deps: unknown) => bundles.get(key)!.createHandler(() => deps);
    const handlers: PipelineHandlers = {
      fetchJobs: bundled('fetch', functions.fetch),
      changes: bundled('channelMapper', functions.channelMapper),
      updates: bundled('viewClassifier', functions.viewClassifier),
      contacts: bundled('aggregator', functions.aggregator),
    };
    const { integration } = await new IntegrationService(
      world.pipeline.admin,
      undefined,
      () => 'acme',
    ).create(integrationInput(world));
    const schedule = bundles.get('scheduler')!.createHandler(() => functions.scheduler) as unknown as (
      event: { time: string },
      context: Context,
    ) => Promise<{ integrations: string[] }>;
    const scheduled = await schedule({ time: world.sandbox.now().toISOString() }, lambdaContext);
    expect(scheduled.integrations).toEqual(['acme']);
    // Only the bundles' handlers run; a call a grant does not allow fails its message.
    const report = await runPipelineUntilIdle(world.stack, handlers);
    expect(report.failed).toBe(0);
    expect(Object.values(report.invocations).every((n) => n > 0)).toBe(true);
    expect((await readBack(world.pipeline, 'acme')).queues).toEqual(
      worldTruth(world, integration.importFrom),
    );
  }, 600_000);

  it('the exported handlers, configured from the environment with the credentials in Secrets Manager, publish exactly the ground truth', async () => {
    const secretsManager = await startSecretsManagerStandIn();
    const saved = { ...process.env };
    try {
      const { integration } = await new IntegrationService(
        world.pipeline.admin,
        undefined,
        () => 'acme-env',
      ).create(integrationInput(world, 'Acme from the environment'));
      // On AWS the admin step writes each integration's credentials secret; here they are copied
      // from the local store (the scheduler starts every active integration, this one and earlier ones).
      for (const { id } of await world.pipeline.deps.integrations.list())
        secretsManager.put(secretName(id), JSON.stringify(await world.pipeline.deps.secrets.get(id)));
      Object.assign(process.env, {
        ...world.stack.env,
        ...Object.fromEntries(ALL_QUEUES.map((q) => [q.dlqEnvVar, world.stack.dlqUrls[q.key]])),
        SECRETS_MANAGER_ENDPOINT: secretsManager.endpoint,
      });
      const exported = (key: FunctionKey) => bundles.get(key)!.handler as QueueHandler;
      const handlers: PipelineHandlers = {
        fetchJobs: exported('fetch'),
        changes: exported('channelMapper'),
        updates: exported('viewClassifier'),
        contacts: exported('aggregator'),
      };
      const schedule = bundles.get('scheduler')!.handler as ScheduleHandler;
      const scheduled = await schedule({ time: world.sandbox.now().toISOString() }, lambdaContext);
      expect(scheduled.integrations).toContain('acme-env');
      const report = await runPipelineUntilIdle(world.stack, handlers);
      expect(report.failed).toBe(0);
      expect((await readBack(world.pipeline, 'acme-env')).queues).toEqual(
        worldTruth(world, integration.importFrom),
      );
      // The functions that talk to Zendesk read its credentials from Secrets Manager.
      expect(secretsManager.calls).toContain(`GetSecretValue ${secretName('acme-env')}`);
    } finally {
      process.env = saved;
      await secretsManager.stop();
    }
  }, 600_000);
});
