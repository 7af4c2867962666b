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

export type GroupingStrategy = 'ivr' | 'phone_number';

export const GROUPING_STRATEGIES: readonly GroupingStrategy[] = ['ivr', 'phone_number'];

export const isGroupingStrategy = (value: unknown): value is GroupingStrategy =>
  (GROUPING_STRATEGIES as readonly unknown[]).includes(value);

export const isInbound = (call: CallRecord): boolean => call.direction === 'inbound';

const seconds = (call: CallRecord, field: 'talkTime' | 'holdTime' | 'wrapUpTime'): number => {
  const value = call[field];
  if (value === null) return 0;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`call ${call.id}: ${field} must be a non-negative number of seconds, got ${value}`);
  }
  return value;
};

export const isHandled = (call: CallRecord): boolean =>
  call.agentId !== null && seconds(call, 'talkTime') > 0;

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
