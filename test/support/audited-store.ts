/**
 * The ticket-state table's audits kept per page (`loadAudited` / `saveAudited` / `clearAudited`),
 * in memory, for a view classifier's deps in unit tests. What is kept goes through JSON, as the
 * table's packed items do.
 */
export const auditedStore = () => {
  const kept = new Map<string, unknown>();
  const keyOf = (pageKey: string, ticketId: number) => `${pageKey}#${ticketId}`;
  return {
    kept,
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
