import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tableArn } from '../../local/grant-guard.js';
import { importOnce } from '../../local/import.js';
import { FUNCTION_GRANTS } from '../../shared/pipeline/function-grants.js';
import { integrationInput, startWorld, type World } from './support.js';

/**
 * Rule (issue "grants enforced in local mode"): every local run checks each function's AWS calls
 * against the grants its use case declares, so a grant missing from the declaration — and so from
 * the deployed role — fails the run, as the call would fail on AWS, instead of passing locally.
 */
describe('an import with one grant removed from the view classifier', () => {
  let world: World;
  const tables = { ...FUNCTION_GRANTS.viewClassifier.tables, interactions: ['Query' as const] };
  beforeAll(async () => {
    world = await startWorld(
      'tiny',
      7,
      {},
      { viewClassifier: { ...FUNCTION_GRANTS.viewClassifier, tables } },
    );
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('fails with AWS’s AccessDeniedException naming the function, the action and the resource, and logs it', async () => {
    const resource = tableArn(world.stack.tableNames.interactions);
    const failure = await importOnce(world.pipeline, integrationInput(world), { newId: () => 'acme' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect({ name: failure?.name, message: failure?.message }).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::000000000000:assumed-role/zendesk-wfm-view-classifier-role/zendesk-wfm-view-classifier is not authorized to perform: dynamodb:PutItem on resource: ${resource} because no identity-based policy allows the dynamodb:PutItem action`,
    });
    expect(world.logs.filter((l) => l.level === 'error')).toContainEqual({
      level: 'error',
      message: 'AWS call denied: the function lacks this grant',
      extra: { function: 'zendesk-wfm-view-classifier', action: 'dynamodb:PutItem', resource },
    });
  });
});
