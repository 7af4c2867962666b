/** Faults a test asks for: which requests they hit (path prefix, nth match, how many times) and what they do. */

export type Fault =
  /** An error status; with `retryAfterSeconds`, a `Retry-After` header too (a 503 in maintenance). */
  (
    | { kind: 'status'; status: number; body?: string; retryAfterSeconds?: number }
    | { kind: 'rateLimit'; retryAfterSeconds: number; plainText?: boolean }
    | { kind: 'delay'; ms: number }
    | { kind: 'reset' }
    | { kind: 'malformed' }
    | { kind: 'wrongType'; path: string }
    /** One record that does not fit: the field at `path` inside the record `recordId` of `list` is removed. */
    | { kind: 'dropField'; list: string; recordId: number; path: string }
    /** 403: the endpoint is not available to this client (Zendesk withdrawing exports from third parties). */
    | { kind: 'endpointClosed' }
  ) & { pathPrefix?: string; nth?: number; times?: number };

interface Armed {
  readonly fault: Fault;
  readonly nth: number;
  readonly times: number;
  seen: number;
  fired: number;
}

const positiveInt = (name: string, v: number | undefined, fallback: number) => {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`fault.${name} must be a positive integer, got ${v}`);
  return v;
};

const validate = (f: Fault): void => {
  switch (f.kind) {
    case 'status':
      if (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)
        throw new Error(`fault.status must be an HTTP error status (400–599), got ${f.status}`);
      if (
        f.retryAfterSeconds !== undefined &&
        (!Number.isInteger(f.retryAfterSeconds) || f.retryAfterSeconds < 0)
      )
        throw new Error(`fault.retryAfterSeconds must be an integer ≥ 0, got ${f.retryAfterSeconds}`);
      return;
    case 'rateLimit':
      if (!Number.isInteger(f.retryAfterSeconds) || f.retryAfterSeconds < 0)
        throw new Error(`fault.retryAfterSeconds must be an integer ≥ 0, got ${f.retryAfterSeconds}`);
      return;
    case 'delay':
      if (!Number.isFinite(f.ms) || f.ms < 0) throw new Error(`fault.ms must be ≥ 0, got ${f.ms}`);
      return;
    case 'wrongType':
      if (typeof f.path !== 'string' || f.path === '')
        throw new Error('fault.path must name a field, e.g. ticket_events.0.timestamp');
      return;
    case 'dropField':
      if (typeof f.list !== 'string' || f.list === '')
        throw new Error('fault.list must name the list of records, e.g. ticket_events');
      if (!Number.isInteger(f.recordId) || f.recordId < 1)
        throw new Error(`fault.recordId must be a positive integer, got ${f.recordId}`);
      if (typeof f.path !== 'string' || f.path === '')
        throw new Error('fault.path must name a field inside the record, e.g. child_events.0.event_type');
      return;
    case 'reset':
    case 'malformed':
    case 'endpointClosed':
      return;
    default:
      throw new Error(
        `fault.kind must be one of status, rateLimit, delay, reset, malformed, wrongType, dropField, endpointClosed`,
      );
  }
};

export class Faults {
  private armed: Armed[] = [];

  add(fault: Fault): void {
    validate(fault);
    this.armed.push({
      fault,
      nth: positiveInt('nth', fault.nth, 1),
      times: positiveInt('times', fault.times, 1),
      seen: 0,
      fired: 0,
    });
  }

  clear(): void {
    this.armed = [];
  }

  /** Counts the request against every fault it matches and returns the first that fires on it. */
  match(path: string): Fault | null {
    let hit: Fault | null = null;
    for (const a of this.armed) {
      if (a.fault.pathPrefix !== undefined && !path.startsWith(a.fault.pathPrefix)) continue;
      a.seen++;
      if (!hit && a.seen >= a.nth && a.fired < a.times) {
        a.fired++;
        hit = a.fault;
      }
    }
    return hit;
  }
}

type JsonLike = null | boolean | number | string | JsonLike[] | { [key: string]: JsonLike };

/**
 * Gives the field at a dotted path (`ticket_events.0.timestamp`) the wrong JSON type: a string
 * becomes a number, anything else becomes a string. A path whose parent does not exist changes nothing.
 */
export const giveWrongType = (body: JsonLike, path: string): void => {
  const keys = path.split('.');
  let parent: JsonLike = body;
  for (const key of keys.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return;
    parent = Array.isArray(parent) ? (parent[Number(key)] ?? null) : (parent[key] ?? null);
  }
  if (parent === null || typeof parent !== 'object') return;
  const last = keys[keys.length - 1]!;
  const current = Array.isArray(parent) ? parent[Number(last)] : parent[last];
  const wrong: JsonLike = typeof current === 'string' ? 12345 : JSON.stringify(current ?? null);
  if (Array.isArray(parent)) parent[Number(last)] = wrong;
  else parent[last] = wrong;
};

/**
 * Removes the field at a dotted path (`child_events.0.event_type`) inside the record of `list` whose
 * id is `recordId`. A page without that record, or a path whose parent does not exist, is unchanged.
 */
export const dropRecordField = (body: JsonLike, list: string, recordId: number, path: string): void => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const records = body[list];
  if (!Array.isArray(records)) return;
  const keys = path.split('.');
  for (const record of records) {
    if (record === null || typeof record !== 'object' || Array.isArray(record) || record.id !== recordId)
      continue;
    let parent: JsonLike = record;
    for (const key of keys.slice(0, -1)) {
      if (parent === null || typeof parent !== 'object') break;
      parent = Array.isArray(parent) ? (parent[Number(key)] ?? null) : (parent[key] ?? null);
    }
    if (parent === null || typeof parent !== 'object') continue;
    const last = keys[keys.length - 1]!;
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  }
};

/**
 * What the sandbox answers for an export closed to the client. Zendesk has not published the
 * wording of this refusal; this body follows its 403 envelope and says what such a refusal must say.
 */
export const ENDPOINT_CLOSED_BODY = {
  error: {
    title: 'Forbidden',
    message:
      'This endpoint is not available to this OAuth client. Incremental exports are not available to third-party integrations.',
  },
};
