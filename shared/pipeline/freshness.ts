import type { CursorsRepository } from '../store/cursors-repository.js';
import type { QueueHistoryRepository } from '../store/queue-history-repository.js';
import { isTimePosition } from '../zendesk/positions.js';

/**
 * How far an integration's history is complete: the position of its ticket events export, which
 * a run moves to the head of the stream (now less five minutes), so everything before it is read.
 * Talk's call export is not used: its position is the last call's update, which stays put while no
 * call comes, although a run reads it to its end after the ticket events. Null before the first
 * import. Read from the cursors table alone, so the deployed stack's tools read it as the local
 * commands do.
 */
export const completeUpToIn = async (
  cursors: Pick<CursorsRepository, 'get'>,
  integrationId: string,
): Promise<Date | null> => {
  const cursor = await cursors.get(integrationId, 'ticket_events');
  return cursor && isTimePosition(cursor.position) ? new Date(cursor.position.startTime * 1000) : null;
};

/**
 * How far an integration's history is complete as its readers should be told: the freshness the
 * aggregator stored once it had counted a completed run's every page (what the queue-history stream
 * said last), and the export's position only before any run has completed (a first import under
 * way, or an install whose runs predate the freshness record). The position alone can run ahead of
 * the counts: on AWS the fetch moves it while the pages it sent are still on their way to the
 * aggregator, and a step whose work is parked leaves the counts behind it.
 */
export const countedUpTo = async (
  repos: {
    readonly cursors: Pick<CursorsRepository, 'get'>;
    readonly queueHistory: Pick<QueueHistoryRepository, 'freshness'>;
  },
  integrationId: string,
): Promise<Date | null> => {
  // Both at once: against a deployed stack each is a round trip, and the position is often the answer.
  const [position, stored] = await Promise.all([
    completeUpToIn(repos.cursors, integrationId),
    repos.queueHistory.freshness(integrationId),
  ]);
  if (stored) return stored.completeUpTo === null ? null : new Date(stored.completeUpTo);
  return position;
};
