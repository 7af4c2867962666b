/**
 * users table
 *   pk = `${integrationId}#${userId}`
 *   sk = `user`
 *   attrs: role (S), active (BOOL), updatedAt (S), localeId (N, when Zendesk gave it: the
 *          "Requester language" view condition)
 * Only what tells end users from agents is kept: no names, no emails.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserRecord } from '../domain/records.js';
import { batchGet, batchPut, lookupKey } from './batch.js';

const key = (integrationId: string, userId: number) => ({ pk: `${integrationId}#${userId}`, sk: 'user' });

export class UsersRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Roles of these users; users never seen are absent from the map. */
  async roles(integrationId: string, userIds: readonly number[]): Promise<Map<number, string>> {
    const found = await batchGet(
      this.db,
      this.table,
      userIds.map((id) => key(integrationId, id)),
    );
    const roles = new Map<number, string>();
    for (const id of userIds) {
      const item = found.get(lookupKey(key(integrationId, id)));
      if (item) roles.set(id, item.role as string);
    }
    return roles;
  }

  /** Languages (`locale_id`) of these users; users never seen, or without one, are absent. */
  async locales(integrationId: string, userIds: readonly number[]): Promise<Map<number, number>> {
    const found = await batchGet(
      this.db,
      this.table,
      userIds.map((id) => key(integrationId, id)),
    );
    const locales = new Map<number, number>();
    for (const id of userIds) {
      const locale = found.get(lookupKey(key(integrationId, id)))?.localeId;
      if (typeof locale === 'number') locales.set(id, locale);
    }
    return locales;
  }

  /**
   * Stores users that are new or changed (by `updatedAt`, never going back to an older version), so
   * a re-read page writes nothing. Returns how many were written.
   */
  async upsert(integrationId: string, users: readonly UserRecord[]): Promise<number> {
    const latest = new Map<number, UserRecord>();
    for (const u of users) {
      const seen = latest.get(u.id);
      if (!seen || seen.updatedAt <= u.updatedAt) latest.set(u.id, u);
    }
    const stored = await batchGet(
      this.db,
      this.table,
      [...latest.keys()].map((id) => key(integrationId, id)),
    );
    const changed = [...latest.values()].filter((u) => {
      const item = stored.get(lookupKey(key(integrationId, u.id)));
      if (!item) return true;
      if ((item.updatedAt as string) > u.updatedAt) return false;
      return (
        item.role !== u.role ||
        item.active !== u.active ||
        item.updatedAt !== u.updatedAt ||
        (item.localeId ?? null) !== (u.localeId ?? null)
      );
    });
    await batchPut(
      this.db,
      this.table,
      changed.map((u) => ({
        ...key(integrationId, u.id),
        role: u.role,
        active: u.active,
        updatedAt: u.updatedAt,
        ...(u.localeId !== undefined && u.localeId !== null ? { localeId: u.localeId } : {}),
      })),
    );
    return changed.length;
  }
}
