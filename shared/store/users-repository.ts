/**
 * users table
 *   pk = `${integrationId}#${userId}`
 *   sk = `user`
 *   attrs: role (S), active (BOOL), updatedAt (S), localeId (N, when Zendesk gave it: the
 *          "Requester language" view condition)
 *   pk = `${integrationId}#users`
 *   sk = `version`
 *   attrs: version (S): a new random value after every write of the integration's users
 * Only what tells end users from agents is kept: no names, no emails.
 *
 * The users an instance has read are kept in memory, per integration, for as long as the
 * integration's `version` item is unchanged: each page's authors and requesters are mostly people
 * the last pages named, and reading them again was a quarter of the pipeline's reads. A read asks
 * for the version first (one key) and only for the users it does not hold. A write puts a new
 * version after the users, so an instance elsewhere (another Lambda, the view classifier) that
 * cached a user before the write sees the version change at its next read and forgets what it
 * held. Every page of users puts one, changed or not: a page whose write died before its version
 * is redelivered, finds its users unchanged, and must still put one (while the users export runs,
 * the instances therefore read their users again after each of its pages). Comment authors looked
 * up by id are users no one held, so their redelivery, which finds them stored and writes nothing,
 * needs no version. A user not found is never kept: the next read asks again.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserRecord } from '../domain/records.js';
import { batchGet, batchPut, lookupKey, type Item } from './batch.js';

const key = (integrationId: string, userId: number) => ({ pk: `${integrationId}#${userId}`, sk: 'user' });
const versionKey = (integrationId: string) => ({ pk: `${integrationId}#users`, sk: 'version' });

/** Users one instance keeps in memory at most; past it, it forgets them all and reads again. */
export const MAX_CACHED_USERS = 100_000;

/** What the functions read of a user: kept small, an instance may hold a hundred thousand. */
interface KnownUser {
  readonly role: string;
  readonly localeId: number | null;
}

interface CachedUsers {
  /** The integration's `version` when these users were read; null while it has none. */
  readonly version: string | null;
  readonly users: Map<number, KnownUser>;
}

const knownUser = (item: Item): KnownUser => ({
  role: item.role as string,
  localeId: typeof item.localeId === 'number' ? item.localeId : null,
});

export class UsersRepository {
  private readonly cached = new Map<string, CachedUsers>();
  private cachedCount = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly maxCachedUsers: number = MAX_CACHED_USERS,
  ) {}

  /** Roles of these users; users never seen are absent from the map. */
  async roles(integrationId: string, userIds: readonly number[]): Promise<Map<number, string>> {
    const found = await this.read(integrationId, userIds);
    const roles = new Map<number, string>();
    for (const [id, user] of found) roles.set(id, user.role);
    return roles;
  }

  /** Languages (`locale_id`) of these users; users never seen, or without one, are absent. */
  async locales(integrationId: string, userIds: readonly number[]): Promise<Map<number, number>> {
    const found = await this.read(integrationId, userIds);
    const locales = new Map<number, number>();
    for (const [id, user] of found) if (user.localeId !== null) locales.set(id, user.localeId);
    return locales;
  }

  /** The role and language of these users (absent: never seen), from memory while the version holds. */
  private async read(integrationId: string, userIds: readonly number[]): Promise<Map<number, KnownUser>> {
    if (userIds.length === 0) return new Map();
    const stored = await batchGet(this.db, this.table, [versionKey(integrationId)]);
    const version = (stored.get(lookupKey(versionKey(integrationId)))?.version as string | undefined) ?? null;
    let cache = this.cached.get(integrationId);
    if (cache?.version !== version) {
      this.cachedCount -= cache?.users.size ?? 0;
      cache = { version, users: new Map() };
      this.cached.set(integrationId, cache);
    }
    const out = new Map<number, KnownUser>();
    const missing: number[] = [];
    for (const id of new Set(userIds)) {
      const hit = cache.users.get(id);
      if (hit !== undefined) out.set(id, hit);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const found = await batchGet(
      this.db,
      this.table,
      missing.map((id) => key(integrationId, id)),
    );
    // Kept only while no other read replaced this version's users meanwhile: what this read found
    // may be older than a version read after it.
    const current = this.cached.get(integrationId) === cache;
    if (current && this.cachedCount + missing.length > this.maxCachedUsers) {
      this.cached.clear();
      cache.users.clear();
      this.cached.set(integrationId, cache);
      this.cachedCount = 0;
    }
    for (const id of missing) {
      const item = found.get(lookupKey(key(integrationId, id)));
      if (item === undefined) continue;
      const user = knownUser(item);
      out.set(id, user);
      if (current && !cache.users.has(id) && this.cachedCount < this.maxCachedUsers) {
        cache.users.set(id, user);
        this.cachedCount += 1;
      }
    }
    return out;
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
    if (latest.size > 0) await this.newVersion(integrationId);
    return changed.length;
  }

  /**
   * After a write of users: every instance holding some of them forgets them at its next read.
   * Put even when nothing changed, since a write that crashed before its version was put changed
   * users its redelivery then finds unchanged.
   */
  private async newVersion(integrationId: string): Promise<void> {
    await batchPut(this.db, this.table, [{ ...versionKey(integrationId), version: randomUUID() }]);
    this.cachedCount -= this.cached.get(integrationId)?.users.size ?? 0;
    this.cached.delete(integrationId);
  }
}
