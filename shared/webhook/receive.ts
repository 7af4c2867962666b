/**
 * A Zendesk webhook request → at most one import per integration and coalescing window, and, when
 * the body names a ticket, that ticket read now (its audits: no export minute to wait for), once a
 * minute per ticket and for at most the integration's tickets a minute (`webhookTicketReadsOf`).
 * Past that the import alone counts the change, a minute or two later. What
 * changed is read from Zendesk, never from the body, so a forged or replayed body could at worst
 * cause a read, and the signature check makes even that impossible without the signing secret.
 */
import { importRunStart, type FetchJob } from '../messages/fetch-job.js';
import type { Grants } from '../pipeline/grants.js';
import { startsRuns } from '../pipeline/parked-work.js';
import type { Integration } from '../store/integrations-repository.js';
import type { WebhookSecretStore } from '../store/webhook-secret-store.js';
import { coalescingSlot } from './coalesce.js';
import type { WebhookRefusal } from './refusals.js';
import { parseWebhookRequest, type WebhookHttpRequest } from './request.js';
import { verifyWebhookSignature, type SignatureVerdict } from './signature.js';
import { webhookTicketId } from './ticket.js';
import { webhookTicketReadsOf } from './ticket-reads.js';

/**
 * Seconds a ticket's read waits after its webhook: Zendesk sends a webhook for each event of an
 * update (created, comment added) at once, and the read then sees the whole update.
 */
export const READ_NOW_DELAY_SECONDS = 2;

export interface WebhookDeps {
  readonly integrations: { get(id: string): Promise<Integration | undefined> };
  readonly signingSecrets: Pick<WebhookSecretStore, 'get' | 'getFresh'>;
  readonly nudges: {
    claim(integrationId: string, slot: number): Promise<boolean>;
    release(integrationId: string, slot: number): Promise<void>;
    claimTicketRead(
      integrationId: string,
      ticketId: number,
      minute: number,
      perMinute: number,
    ): Promise<boolean>;
    releaseTicketRead(integrationId: string, ticketId: number, minute: number): Promise<void>;
  };
  readonly sendFetchJob: (job: FetchJob, delaySeconds: number) => Promise<void>;
  readonly now: () => Date;
  /** Length of a coalescing window, seconds (the Lambda: 30; tests and local mode may go lower). */
  readonly windowSeconds: number;
  /**
   * How long Zendesk's export holds an update back (EXPORT_LAG_SECONDS); a fetch waits for it after
   * its window. Lower only against a stand-in whose clock the caller moves past it.
   */
  readonly exportLagSeconds: number;
  readonly logger: {
    info(message: string, extra?: object): void;
    warn(message: string, extra?: object): void;
  };
}

/** The webhook function's AWS actions: integrations by id, the coalescing claims (items of the same table), fetch-jobs, signing secrets. */
export const WEBHOOK_GRANTS: Grants = {
  tables: { integrations: ['GetItem', 'UpdateItem', 'DeleteItem'] },
  sendsTo: ['fetchJobs'],
  secrets: { webhookSigning: 'read' },
};

export interface WebhookResponse {
  readonly status: number;
  readonly body: { readonly message: string };
  /** Why the request was refused, for the caller to log or count; never sent to the client. */
  readonly refusal?: WebhookRefusal;
  /** Seconds after which Zendesk may try the request again (`Retry-After`), on a passing failure. */
  readonly retryAfterSeconds?: number;
}

/**
 * How soon a request that failed for a passing reason (its job not sent) may come again. Zendesk's
 * webhooks reference says it retries "certain" answers without listing them here; a 503 that says
 * when to come back, within a minute, is the likeliest. A webhook not retried loses nothing: the
 * change waits for the schedule's import.
 */
export const RETRY_AFTER_SECONDS = 5;

/** The HTTP headers of a response, the same from the Lambda and from `serve`. */
export const webhookResponseHeaders = (response: WebhookResponse): Record<string, string> => ({
  'content-type': 'application/json',
  ...(response.retryAfterSeconds !== undefined ? { 'retry-after': String(response.retryAfterSeconds) } : {}),
});

const respond = (status: number, message: string, refusal?: WebhookRefusal): WebhookResponse => ({
  status,
  body: { message },
  ...(refusal ? { refusal } : {}),
});
// One answer for "no such integration" and "no webhook configured", so neither is a hint.
const notFound = (refusal: WebhookRefusal) => respond(404, 'Not found', refusal);
const tryAgainSoon = (): WebhookResponse => ({
  ...respond(503, 'Try again later'),
  retryAfterSeconds: RETRY_AFTER_SECONDS,
});

export const receiveWebhook = async (
  deps: WebhookDeps,
  request: WebhookHttpRequest,
): Promise<WebhookResponse> => {
  const parsed = parseWebhookRequest(request);
  if (!parsed.ok) return respond(parsed.status, parsed.message, parsed.reason);
  const { integrationId } = parsed;

  const integration = await deps.integrations.get(integrationId);
  if (!integration || integration.status === 'deleted') return notFound('unknown_integration');
  const secret = await deps.signingSecrets.get(integrationId);
  if (!secret) return notFound('no_signing_secret');

  const now = deps.now();
  const verdict = await verifiedAgainstStored(deps, integrationId, secret, parsed, now);
  // Refusals are not logged here, one line each: the caller counts them (a flood of junk must not
  // become a flood of log lines).
  if (!verdict.ok) return respond(401, 'Invalid or missing signature', verdict.reason);
  // A paused integration imports nothing now; resuming catches up from its stored position. One
  // whose parked work a redrive is moving back starts nothing either, which could overtake it.
  if (!startsRuns(integration)) return respond(202, 'Accepted; the integration is not active');

  const ticketId = parsed.fields === undefined ? undefined : webhookTicketId(parsed.fields);
  if (ticketId !== undefined && !(await readTicketNow(deps, integration, ticketId, now)))
    return tryAgainSoon();
  const { slot, delaySeconds } = coalescingSlot(now, deps.windowSeconds, deps.exportLagSeconds);
  if (!(await deps.nudges.claim(integrationId, slot)))
    return respond(202, 'Accepted; a fetch is already scheduled');
  try {
    await deps.sendFetchJob(importRunStart(integrationId, `webhook-${slot}`), delaySeconds);
  } catch (error) {
    // Without its job the window must not stay claimed: a retry of the webhook claims it again.
    await deps.nudges.release(integrationId, slot);
    deps.logger.warn('webhook fetch job not sent', { integrationId, error: (error as Error).name });
    return tryAgainSoon();
  }
  deps.logger.info('webhook fetch scheduled', { integrationId, slot, delaySeconds });
  return respond(202, 'Accepted; fetch scheduled');
};

/**
 * The request's signature checked with the secret as kept, and, when that fails on the signature
 * itself, with the secret as stored now: a secret reset in Zendesk and stored again is in use at
 * once, not when a cache ages out (every request refused meanwhile counts toward Zendesk's circuit
 * breaker). The store bounds how often it is asked past its cache.
 */
const verifiedAgainstStored = async (
  deps: WebhookDeps,
  integrationId: string,
  secret: string,
  request: Parameters<typeof verifyWebhookSignature>[1],
  now: Date,
): Promise<SignatureVerdict> => {
  const verdict = verifyWebhookSignature(secret, request, now);
  if (verdict.ok || verdict.reason !== 'bad_signature') return verdict;
  // A store that cannot answer now leaves the refusal as it was: a wrong signature, not our error.
  const stored = await deps.signingSecrets.getFresh(integrationId).catch(() => undefined);
  return stored === undefined || stored === secret ? verdict : verifyWebhookSignature(stored, request, now);
};

/**
 * Sends the ticket's read unless this minute has read it or read enough tickets. False only when
 * the job could not be sent (the claim is given back, so Zendesk's retry of the webhook claims
 * again). A claim that fails (the table unavailable) costs the read only: the import goes on.
 */
const readTicketNow = async (
  deps: WebhookDeps,
  integration: Integration,
  ticketId: number,
  now: Date,
): Promise<boolean> => {
  const integrationId = integration.id;
  const perMinute = webhookTicketReadsOf(integration);
  const minute = Math.floor(now.getTime() / 60_000);
  if (perMinute === 0) return true;
  try {
    if (!(await deps.nudges.claimTicketRead(integrationId, ticketId, minute, perMinute))) return true;
  } catch (error) {
    deps.logger.warn('webhook ticket read not claimed', { integrationId, error: (error as Error).name });
    return true;
  }
  try {
    await deps.sendFetchJob(
      { version: 1, integrationId, stream: 'ticket_audits', ticketId, runId: `webhook-ticket-${minute}` },
      READ_NOW_DELAY_SECONDS,
    );
  } catch (error) {
    await deps.nudges.releaseTicketRead(integrationId, ticketId, minute).catch(() => undefined);
    deps.logger.warn('webhook ticket read not sent', { integrationId, error: (error as Error).name });
    return false;
  }
  deps.logger.info('webhook ticket read scheduled', { integrationId, ticketId });
  return true;
};
