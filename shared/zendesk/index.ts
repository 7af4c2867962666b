/** The Zendesk client: the only code that talks to Zendesk. */
export type { RateLimited } from './api.js';
export type { ZendeskCredentials } from './auth.js';
export {
  ENDPOINTS,
  USER_AGENT,
  ZendeskClient,
  type ExportStream,
  type PageOutcome,
  type StreamRecord,
  type ZendeskClientOptions,
} from './client.js';
export type { Compacted, RejectedRecord } from './compact.js';
export type { CredentialCheck, CredentialCheckAnswer } from './credential-check.js';
export {
  ZendeskCredentialsError,
  ZendeskEndpointClosedError,
  ZendeskError,
  ZendeskExportStuckError,
  ZendeskPayloadError,
  ZendeskRequestError,
  ZendeskTokenStorageError,
  ZendeskTransientError,
} from './errors.js';
export { followExport, type ExportPage, type FollowOptions } from './follow.js';
export {
  POSITION_MIN_AGE_SECONDS,
  START_TIME_MIN_AGE_SECONDS,
  type CursorPosition,
  type ExportPosition,
  type TimePosition,
} from './positions.js';
export { SlidingWindowBudget, bucketLimits, type RateBucket, type RequestBudget } from './rate-limit.js';
export type { ZendeskLogger } from './transport.js';
