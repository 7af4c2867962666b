import type { FailureKind, IntegrationsRepository } from '../store/integrations-repository.js';
import {
  ZendeskCredentialsError,
  ZendeskEndpointClosedError,
  ZendeskExportStuckError,
  ZendeskRequestError,
  ZendeskTransientError,
} from '../zendesk/errors.js';

export interface MarkFailingDeps {
  readonly integrations: Pick<IntegrationsRepository, 'modify'>;
  readonly now: () => Date;
}

/**
 * Marks an integration failing with a reason the user sees (SPEC §8); imports stop until it is
 * fixed. A deleted integration stays deleted, and a paused one paused.
 */
export const markFailing = async (
  deps: MarkFailingDeps,
  integrationId: string,
  reason: string,
  kind: FailureKind,
): Promise<void> => {
  const now = deps.now().toISOString();
  await deps.integrations.modify(integrationId, (integration) =>
    // The user's pause stands: the failure comes again, and is marked, on the run after a resume.
    integration.status === 'paused'
      ? undefined
      : {
          ...integration,
          status: 'failing',
          statusReason: reason,
          failure: { kind, since: now },
          updatedAt: now,
        },
  );
};

/** The kind of failure an error of the pipeline's work is (what fixes it differs). */
export const failureKindOf = (error: unknown): FailureKind =>
  error instanceof ZendeskCredentialsError
    ? 'credentials_refused'
    : error instanceof ZendeskEndpointClosedError
      ? 'export_closed'
      : error instanceof ZendeskTransientError
        ? error.answered
          ? 'zendesk_errors'
          : 'zendesk_unreachable'
        : error instanceof ZendeskExportStuckError
          ? 'export_stuck'
          : error instanceof ZendeskRequestError
            ? 'request_refused'
            : 'work_failed';
