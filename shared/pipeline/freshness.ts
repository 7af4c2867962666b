import type { CursorsRepository } from '../store/cursors-repository.js';
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
