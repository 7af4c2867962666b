/**
 * Talk calls (SPEC §5, zendesk-api.md §5.2 and §5.5).
 *
 * Handled: an agent answered the call, i.e. `agent_id` is set ("the first agent who picked up")
 * and `talk_time` > 0 (Zendesk: 0 when no agent accepted). `completion_status` is not required to
 * be `completed`: a caller who hangs up while on hold after talking to an agent was still answered
 * and the agent's time was spent; SPEC's rule is "an agent answered it".
 *
 * Handle time: `talk_time + hold_time + wrap_up_time` in seconds, nulls as 0 (null is recorded for
 * failed calls). Consultation time is not added (zendesk-api.md leaves it a product decision, and
 * the customer is on hold meanwhile, which hold_time may already count).
 */
import type { CallRecord } from './records.js';

/**
 * The `completion_status` values Zendesk documents for a call: the six of the Talk Incremental
 * Calls Export (zendesk-api.md §5.2), and the two more of Zendesk's call-status article ("What do
 * the statuses of Zendesk Talk mean?"): Failed ("call failed", recorded on the wire as `failed`)
 * and Not answered ("an end user left an inbound call in a transition stage that is not included
 * in the abandoned statuses"), read as `not_answered`, the snake case the other statuses use (its
 * wire spelling is not confirmed). Any other value, and a missing one, is reported as unknown,
 * never guessed into one of these.
 */
export const DOCUMENTED_COMPLETION_STATUSES = [
  'completed',
  'abandoned_in_queue',
  'abandoned_in_ivr',
  'abandoned_in_voicemail',
  'abandoned_on_hold',
  'pending_voicemail',
  'failed',
  'not_answered',
] as const;
export type CompletionStatus = (typeof DOCUMENTED_COMPLETION_STATUSES)[number];

/** A call's documented completion status, or `unknown`. */
export const completionStatusOf = (
  call: Pick<CallRecord, 'completionStatus'>,
): CompletionStatus | 'unknown' =>
  (DOCUMENTED_COMPLETION_STATUSES as readonly (string | null)[]).includes(call.completionStatus)
    ? (call.completionStatus as CompletionStatus)
    : 'unknown';

/** The service-level threshold of an integration that names none (seconds). */
export const DEFAULT_SERVICE_LEVEL_SECONDS = 20;

/** The threshold an integration counts with: its own, or the default when saved before it had one. */
export const serviceLevelSecondsOf = (integration: { readonly serviceLevelSeconds?: number }): number =>
  integration.serviceLevelSeconds ?? DEFAULT_SERVICE_LEVEL_SECONDS;

export type GroupingStrategy = 'ivr' | 'phone_number';

export const GROUPING_STRATEGIES: readonly GroupingStrategy[] = ['ivr', 'phone_number'];

export const isGroupingStrategy = (value: unknown): value is GroupingStrategy =>
  (GROUPING_STRATEGIES as readonly unknown[]).includes(value);

export const isInbound = (call: CallRecord): boolean => call.direction === 'inbound';

const seconds = (call: CallRecord, field: 'talkTime' | 'holdTime' | 'wrapUpTime' | 'waitTime'): number => {
  const value = call[field];
  if (value === null) return 0;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`call ${call.id}: ${field} must be a non-negative number of seconds, got ${value}`);
  }
  return value;
};

export const isHandled = (call: CallRecord): boolean =>
  call.agentId !== null && seconds(call, 'talkTime') > 0;

/**
 * The seconds the caller waited before an agent answered (`wait_time`: "how long the customer was
 * in the call before an agent answered"), null when the record lacks it. It is the call's speed of
 * answer; `time_to_answer` starts only at the "available agents" greeting and is null when no agent
 * answered, so it is not used.
 */
export const answerWaitSeconds = (call: CallRecord): number | null =>
  call.waitTime === null ? null : seconds(call, 'waitTime');

export const handleTimeSeconds = (call: CallRecord): number =>
  seconds(call, 'talkTime') + seconds(call, 'holdTime') + seconds(call, 'wrapUpTime');

/**
 * The value a call is grouped by: the IVR destination group name or the receiving Talk number,
 * trimmed; null when the call lacks it (the "Ungrouped" queue).
 */
export const groupingKey = (call: CallRecord, strategy: GroupingStrategy): string | null => {
  if (!isGroupingStrategy(strategy)) {
    throw new Error(`groupingStrategy must be "ivr" or "phone_number", got ${JSON.stringify(strategy)}`);
  }
  const raw = strategy === 'ivr' ? call.ivrDestinationGroupName : call.phoneNumber;
  const key = raw?.trim() ?? '';
  return key === '' ? null : key;
};
