/**
 * How a ticket's state is kept in its bucket (see TicketStateRepository): a bucket is rewritten
 * whole whenever one of its tickets changes, about thirty times over its tickets' lives in a
 * backfill, so every byte of it is paid for many times.
 *
 * - What the key or the empty state already says is left out: the ticket id (the bucket is keyed
 *   by it), and each of the state's always-present fields while it holds its empty value (null, no
 *   tags, no custom fields, no status time). The optional fields are kept as they are: for some of
 *   them absent and empty differ (`emailCcIds`: never stated, or stated empty; see `ccsOf`).
 * - The backlog membership is kept as it is, its channel and view ids (`views`). Before the
 *   membership was its views it held queues, each kept as `[viewId, name]` or whole; those are
 *   read as their views (the name at entry gives way to the view's current title, SPEC §3).
 * - The description's word hashes are handed back apart (`descriptionTerms`): they are about a third
 *   of a bucket's packed bytes, and a state takes them only while it has none (at the ticket's
 *   creation), so they are written far less often than the rest.
 * - A timestamp (`createdAt`, …, `dueAt`, each status entry time) of a whole second written as the
 *   pipeline writes times (`…:00.000Z`) is kept as a number: seconds after the state's replay position
 *   (`appliedThrough.timestamp`, or after 1970 while it has none). Most of a state's times are at
 *   or near its last update, so the numbers are short. Any other value (a bare due date, a time
 *   with milliseconds, a time copied as Zendesk wrote it, `…:00Z`) stays the string it is: a number
 *   is always a packed timestamp.
 *
 * `unpackTicketState` reads both this form and the whole states stored before it.
 */
import type { WfmChannel } from '../domain/channels.js';
import { emptyTicketState, type BacklogMembership, type TicketState } from '../domain/ticket-state.js';

/** A backlog queue as kept before a membership was its views: `[viewId, name]`, or whole. */
type EarlierBacklogQueue = readonly [viewId: number, name: string] | { readonly viewId: number };

export type PackedBacklog =
  | { readonly channel: WfmChannel; readonly views: readonly number[] }
  | { readonly channel: WfmChannel; readonly queues: readonly EarlierBacklogQueue[] };

/** The state's timestamp fields: ISO strings (or a bare date, `dueAt`), or null. */
const TIMESTAMP_FIELDS = [
  'createdAt',
  'updatedAt',
  'requesterUpdatedAt',
  'assigneeUpdatedAt',
  'assignedAt',
  'customStatusSetAt',
  'dueAt',
] as const;
type TimestampField = (typeof TIMESTAMP_FIELDS)[number];
const isTimestampField = (field: string): field is TimestampField =>
  (TIMESTAMP_FIELDS as readonly string[]).includes(field);

/** A timestamp as kept: seconds after the replay position's time, or the value as it was. */
type PackedTime = number | string | null;

/** A state as kept in its bucket: any field may be absent (its empty value, or the key's id). */
export type PackedTicketState<State extends TicketState> = Partial<
  Omit<State, 'backlog' | 'statusEnteredAt' | TimestampField>
> & {
  readonly backlog?: PackedBacklog;
  readonly statusEnteredAt?: Readonly<Record<string, PackedTime>>;
} & { readonly [field in TimestampField]?: PackedTime };

export interface PackedTicket<State extends TicketState> {
  readonly state: PackedTicketState<State>;
  /** The description's word hashes, when the state has them. */
  readonly descriptionTerms: readonly number[] | undefined;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(emptyTicketState(0)));

const isEmptyValue = (field: string, value: unknown): boolean =>
  field in EMPTY &&
  (value === null || (typeof value === 'object' && Object.keys(value).length === 0)) &&
  // The same empty value as the empty state's: an empty list where it holds null is kept.
  JSON.stringify(value) === JSON.stringify(EMPTY[field]);

const WHOLE_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;

/** A whole-second ISO time as seconds after `base`; any other value as it is. */
const packTime = (value: string | null, base: number): PackedTime => {
  if (value === null || !WHOLE_SECOND.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value ? ms / 1000 - base : value;
};

const unpackTime = (value: PackedTime, base: number): string | null =>
  typeof value === 'number' ? new Date((value + base) * 1000).toISOString() : value;

const unpackBacklog = (backlog: PackedBacklog): BacklogMembership =>
  'views' in backlog
    ? { channel: backlog.channel, viewIds: backlog.views }
    : {
        channel: backlog.channel,
        viewIds: backlog.queues.map((q) => ('viewId' in q ? q.viewId : q[0])),
      };

export const packTicketState = <State extends TicketState>(state: State): PackedTicket<State> => {
  const packed: Record<string, unknown> = {};
  const base = state.appliedThrough?.timestamp ?? 0;
  for (const [field, value] of Object.entries(state)) {
    // The id is the key's, the hashes go apart, the backlog is packed below.
    if (field === 'ticketId' || field === 'descriptionTerms' || field === 'backlog' || value === undefined)
      continue;
    if (isEmptyValue(field, value)) continue;
    if (isTimestampField(field)) packed[field] = packTime(value as string | null, base);
    else if (field === 'statusEnteredAt')
      packed[field] = Object.fromEntries(
        Object.entries(value as Record<string, string>).map(([status, at]) => [status, packTime(at, base)]),
      );
    else packed[field] = value;
  }
  if (state.backlog !== undefined)
    packed.backlog = { channel: state.backlog.channel, views: state.backlog.viewIds } satisfies PackedBacklog;
  return { state: packed as PackedTicketState<State>, descriptionTerms: state.descriptionTerms };
};

/**
 * The state of `ticketId` from its packed form and its description's hashes (undefined: none kept
 * apart; a state stored before they were may hold them itself).
 */
export const unpackTicketState = <State extends TicketState>(
  ticketId: number,
  packed: PackedTicketState<State>,
  descriptionTerms: readonly number[] | undefined,
): State => {
  // Assigned onto the empty state rather than spread: a page reads thousands of states, and
  // spreading each into a new object cost three times the JSON parsing of its bucket.
  const state = emptyTicketState(ticketId) as unknown as Record<string, unknown>;
  for (const field in packed) state[field] = packed[field as keyof typeof packed];
  const base = packed.appliedThrough?.timestamp ?? 0;
  for (const field of TIMESTAMP_FIELDS) {
    const value = packed[field];
    if (typeof value === 'number') state[field] = unpackTime(value, base);
  }
  const entered = packed.statusEnteredAt;
  if (entered !== undefined && Object.values(entered).some((at) => typeof at === 'number'))
    state.statusEnteredAt = Object.fromEntries(
      Object.entries(entered).map(([status, at]) => [status, unpackTime(at, base)]),
    );
  if (packed.backlog !== undefined) state.backlog = unpackBacklog(packed.backlog);
  if (descriptionTerms !== undefined) state.descriptionTerms = descriptionTerms;
  return state as State;
};
