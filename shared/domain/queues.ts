/**
 * Source queues (SPEC §3 "Views become source queues", §5). A queue's id is its identity and never
 * contains a display name that can change: a Support queue is keyed by view id and channel (the
 * name follows the view's current title); a Talk queue by its grouping key, which is also what its
 * name shows, so the two cannot drift apart.
 */
import type { WfmChannel } from './channels.js';
import type { CallRecord } from './records.js';
import { groupingKey, type GroupingStrategy } from './talk.js';

export interface SourceQueue {
  readonly id: string;
  readonly name: string;
  readonly channel: WfmChannel;
  readonly source: 'support' | 'talk';
  readonly viewId?: number;
}

export const UNGROUPED_TALK_QUEUE_NAME = 'Calls Inbound Ungrouped';

export const supportQueueId = (viewId: number, channel: WfmChannel): string => `support:${viewId}:${channel}`;

export const supportQueue = (
  view: { readonly id: number; readonly title: string },
  channel: WfmChannel,
): SourceQueue => ({
  id: supportQueueId(view.id, channel),
  name: `${view.title} (${channel})`,
  channel,
  source: 'support',
  viewId: view.id,
});

export const talkQueue = (call: CallRecord, strategy: GroupingStrategy): SourceQueue => {
  const key = groupingKey(call, strategy);
  return {
    id: key === null ? 'talk:ungrouped' : `talk:${strategy}:${key}`,
    name: key === null ? UNGROUPED_TALK_QUEUE_NAME : `Calls Inbound For ${key}`,
    channel: 'call',
    source: 'talk',
  };
};
