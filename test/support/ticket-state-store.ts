/**
 * The ticket-state table in memory, for a view classifier's deps in unit tests: the states by
 * ticket (`load` / `save`) and the audits kept per page (`loadAudited` / `saveAudited` /
 * `clearAudited`), which go through JSON as the table's packed items do.
 */
import type { StoredTicketState } from '../../shared/pipeline/view-classifier.js';
import { LoadedTicketStates } from '../../shared/store/ticket-state-repository.js';

export const ticketStateStore = (states: Map<number, StoredTicketState>) => {
  const kept = new Map<string, unknown>();
  const keyOf = (pageKey: string, ticketId: number) => `${pageKey}#${ticketId}`;
  return {
    kept,
    load: async (integrationId: string, ids: readonly number[]) =>
      new LoadedTicketStates(
        integrationId,
        new Map(ids.flatMap((id) => (states.has(id) ? [[id, states.get(id)!] as const] : []))),
        new Map(),
        new Map(),
      ),
    save: async (_loaded: unknown, changed: ReadonlyMap<number, StoredTicketState>) => {
      for (const [id, s] of changed) states.set(id, s);
    },
    loadAudited: async (_integrationId: string, pageKey: string, ids: readonly number[]) =>
      new Map(
        ids.flatMap((id) =>
          kept.has(keyOf(pageKey, id)) ? [[id, kept.get(keyOf(pageKey, id))] as const] : [],
        ),
      ),
    saveAudited: async (_integrationId: string, pageKey: string, learned: ReadonlyMap<number, unknown>) => {
      for (const [id, value] of learned) kept.set(keyOf(pageKey, id), JSON.parse(JSON.stringify(value)));
    },
    clearAudited: async (_integrationId: string, pageKey: string, ids: readonly number[]) => {
      for (const id of ids) kept.delete(keyOf(pageKey, id));
    },
  };
};
