import type { PipelineDeps } from './deps.js';

/** Marks an integration failing with a reason the user sees (SPEC §8); imports stop until it is fixed. */
export const markFailing = async (
  deps: PipelineDeps,
  integrationId: string,
  reason: string,
): Promise<void> => {
  const integration = await deps.repos.integrations.get(integrationId);
  if (!integration || integration.status === 'deleted') return;
  await deps.repos.integrations.save({
    ...integration,
    status: 'failing',
    statusReason: reason,
    updatedAt: deps.now().toISOString(),
  });
};
