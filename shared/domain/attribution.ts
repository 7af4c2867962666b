import type { WfmChannel } from './channels.js';
import { supportQueue, type SourceQueue } from './queues.js';
import type { ViewRecord } from './records.js';
import type { TicketState } from './ticket-state.js';
import { UTC_CONTEXT, instant, viewMatchesAt, type ViewContext } from './view-conditions.js';

export interface ClassifiedView {
  readonly view: ViewRecord;
  /** The verdict of `classifyView`, stored with the view. */
  readonly supported: boolean;
}

/**
 * The Support queues one interaction counts in (SPEC §3): every active, supported view the ticket
 * satisfies right after the update, at the update's time, in the interaction's channel. One
 * interaction may count in several queues, or in none.
 */
export const queuesForInteraction = (
  views: readonly ClassifiedView[],
  state: TicketState,
  at: string,
  channel: WfmChannel,
  context: ViewContext = UTC_CONTEXT,
): SourceQueue[] => {
  const atMs = instant(at);
  const queues: SourceQueue[] = [];
  for (const { view, supported } of views) {
    if (supported && view.active && viewMatchesAt(view, state, atMs, context))
      queues.push(supportQueue(view, channel));
  }
  return queues;
};
