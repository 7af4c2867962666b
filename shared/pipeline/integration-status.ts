import type { IntegrationsRepository } from '../store/integrations-repository.js';

export interface MarkFailingDeps {
  readonly integrations: Pick<IntegrationsRepository, 'get' | 'save'>;
  readonly now: () => Date;
}

/** Marks an integration failing with a reason the user sees (SPEC §8); imports stop until it is fixed. */
export const markFailing = async (
  deps: MarkFailingDeps,
  integrationId: string,
  reason: string,
): Promise<void> => {
  const integration = await deps.integrations.get(integrationId);
  if (!integration || integration.status === 'deleted') return;
  await deps.integrations.save({
    ...integration,
    status: 'failing',
    statusReason: reason,
    updatedAt: deps.now().toISOString(),
  });
};
