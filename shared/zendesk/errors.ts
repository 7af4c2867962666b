/**
 * The typed failures of the Zendesk client. Callers branch on the class: a credentials error marks
 * the integration failing, a transient error is retried later from the stored position, a payload
 * error goes to a dead-letter queue, a stuck export needs a human. Messages never contain a secret:
 * everything Zendesk says passes through the client's redactor before it lands here.
 */
export abstract class ZendeskError extends Error {
  /** The endpoint path, e.g. `/api/v2/incremental/ticket_events` (no query, no host). */
  readonly endpoint: string;
  protected constructor(endpoint: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.endpoint = endpoint;
  }
}

/** 401 that one renewal did not cure, 403, or a token endpoint that refuses the client's grant. */
export class ZendeskCredentialsError extends ZendeskError {
  readonly status: number;
  /** What Zendesk said (redacted), e.g. "Couldn't authenticate you". */
  readonly zendeskMessage: string;
  constructor(endpoint: string, status: number, zendeskMessage: string) {
    super(endpoint, `Zendesk refused the credentials (${status}) on ${endpoint}: ${zendeskMessage}`);
    this.status = status;
    this.zendeskMessage = zendeskMessage;
  }
}

/**
 * 403 saying the endpoint is not available to this client. Zendesk has announced that its
 * incremental exports may be withdrawn from third-party integrations; no retry or token renewal
 * changes that answer, only credentials of a client the customer's own account created.
 */
export class ZendeskEndpointClosedError extends ZendeskError {
  /** What Zendesk said (redacted). */
  readonly zendeskMessage: string;
  constructor(endpoint: string, zendeskMessage: string) {
    super(
      endpoint,
      `Zendesk does not make ${endpoint} available to this client (403): ${zendeskMessage.replace(/[.\s]+$/, '')}. ` +
        'Zendesk keeps its incremental exports from third-party OAuth clients: create an OAuth client in ' +
        'your own Zendesk account (Admin Center, Apps and integrations, APIs, OAuth clients) and give this integration its credentials (`zendesk-wfm integration set-credentials`), which makes it active again.',
    );
    this.zendeskMessage = zendeskMessage;
  }
}

/** 5xx, timeouts and connection resets that outlasted the bounded retries. */
export class ZendeskTransientError extends ZendeskError {
  readonly attempts: number;
  /** The last failure: `status 503`, `timeout after 30000 ms`, `ECONNRESET` … */
  readonly lastFailure: string;
  /** Whether Zendesk answered the last attempt (a 5xx) rather than not at all (refused, DNS, timeout). */
  readonly answered: boolean;
  constructor(endpoint: string, attempts: number, lastFailure: string, answered = false) {
    super(endpoint, `Zendesk ${endpoint} still failing after ${attempts} attempts: ${lastFailure}`);
    this.attempts = attempts;
    this.lastFailure = lastFailure;
    this.answered = answered;
  }
}

/**
 * A request given up because the invocation had too little time left for an attempt: transient,
 * and when no attempt was sent (`attempts` 0) no failure of the work's own, which the consumer
 * wiring hands back for the next invocation.
 */
export class ZendeskOutOfTimeError extends ZendeskTransientError {}

/**
 * A response that does not have the shape the pipeline relies on, rejected whole: an export page
 * whose envelope is unreadable (not JSON, no records array, no position fields), or a response used
 * whole (views, a ticket's audits) with a record that does not fit. One bad record of an export page
 * is not this: it is rejected on its own (`RejectedRecord`) and the rest of the page goes on.
 */
export class ZendeskPayloadError extends ZendeskError {
  /** The id of the offending record, or null when the envelope itself is wrong. */
  readonly recordId: number | string | null;
  /** Path of the offending field inside the record (or the envelope), e.g. `child_events[2].author_id`. */
  readonly field: string;
  readonly problem: string;
  constructor(endpoint: string, recordId: number | string | null, field: string, problem: string) {
    const where = recordId === null ? 'the response' : `record ${recordId}`;
    super(endpoint, `Zendesk ${endpoint}: ${where}, field ${field}: ${problem}`);
    this.recordId = recordId;
    this.field = field;
    this.problem = problem;
  }
}

/** Any other 4xx: a request the client should not have made (bad id, endpoint missing on this plan). */
export class ZendeskRequestError extends ZendeskError {
  readonly status: number;
  readonly zendeskMessage: string;
  constructor(endpoint: string, status: number, zendeskMessage: string) {
    super(endpoint, `Zendesk answered ${status} on ${endpoint}: ${zendeskMessage}`);
    this.status = status;
    this.zendeskMessage = zendeskMessage;
  }
}

/**
 * An export page that does not move its position (an empty page or an unchanged cursor that is not
 * the end of the stream, ≥ 1000 items sharing one second): asked for again a bounded number of
 * times, it stayed where it was, so this fails loudly instead of spending the rate budget forever.
 */
export class ZendeskExportStuckError extends ZendeskError {
  /** The position that did not advance, e.g. `start_time 1717400000 (2024-06-03T07:33:20.000Z)`. */
  readonly position: string;
  readonly pages: number;
  constructor(endpoint: string, position: string, pages: number, reason: string) {
    super(
      endpoint,
      `Zendesk ${endpoint} does not advance from ${position}: ${pages} pages in a row brought ${reason}`,
    );
    this.position = position;
    this.pages = pages;
  }
}

/** The rotated refresh token could not be handed to the secret store, so it was not used. */
export class ZendeskTokenStorageError extends ZendeskError {
  constructor(endpoint: string, reason: string) {
    super(endpoint, `Could not store the rotated Zendesk refresh token: ${reason}`);
  }
}

/**
 * What Zendesk said when it refused its Talk export, when the refusal means the account has no
 * Talk for these credentials rather than credentials that fail: a 404 (Zendesk answers one when
 * the account's plan lacks an endpoint, zendesk-api.md §6.3), a 403 (a role that may not read
 * Talk's statistics) or an export closed to the client; null for any other error. Only a caller
 * whose same credentials were just answered on Support's endpoints may read it so; a 401 is never
 * a refusal of Talk.
 */
export const talkRefusalOf = (error: unknown): string | null =>
  (error instanceof ZendeskRequestError && error.status === 404) ||
  (error instanceof ZendeskCredentialsError && error.status === 403) ||
  error instanceof ZendeskEndpointClosedError
    ? error.message
    : null;
