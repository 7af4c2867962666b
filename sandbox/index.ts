/**
 * A stand-in for Zendesk's API with a seeded synthetic account, for the demo, the end-to-end tests
 * and the benchmark. `startSandbox()` generates the account, starts a server on a free loopback
 * port and returns its address, credentials, ground truth and test controls.
 */
import { creationNotExported, defaultsUnstated } from './record-shapes.js';
import { Account, AuditKind, CALL_ID_BASE, Field, STATUSES } from './account.js';
import { Auth } from './auth.js';
import { GROUP_LIST, tagIndex, type CatalogView } from './catalog.js';
import { SandboxClock, anchorFrom } from './clock.js';
import { Endpoints } from './endpoints.js';
import { Faults, type Fault } from './faults.js';
import {
  ADMIN_ID,
  DATA_END_BEFORE_ANCHOR_SECONDS,
  FIRST_AGENT_ID,
  SIZE_PROFILES,
  generateAccount,
  type SandboxSize,
  type SizeProfile,
} from './generator.js';
import { buildTruth } from './ground-truth.js';
import { RateLimiter } from './rate-limit.js';
import { Renderer, isoSeconds } from './render.js';
import { SandboxHttpServer } from './server.js';
import { CONVERSATION_CHANNELS, type GroundTruth, type SandboxCondition } from './truth.js';
import { WebhookSender, type WebhookTarget } from './webhooks.js';

export type { Fault } from './faults.js';
export type { WebhookTarget } from './webhooks.js';
export type { SandboxSize, SizeProfile } from './generator.js';
export { SIZE_PROFILES } from './generator.js';
export {
  callTalkFigures,
  expectedBacklogSteps,
  expectedQueues,
  unmappedChannelCounts,
  unsupportedKindsOf,
  WFM_CHANNEL_BY_VIA,
  type ExpectedBacklog,
  type ExpectedInterval,
  type ExpectedQueue,
  type GroundTruth,
  type ImportWindow,
  type SandboxCondition,
  type TruthCall,
  type TruthInteraction,
  type TruthView,
  type UnsupportedKind,
  type WfmChannel,
} from './truth.js';

export interface SandboxOptions {
  seed?: number;
  size?: SandboxSize;
  /** The sandbox clock's anchor; generated data ends shortly before it. Default: now, truncated to the minute. */
  now?: string | Date;
  /**
   * Default `real-time`: the clock runs on from its anchor. `frozen`: it moves only by
   * `advanceClock`, for a test that asserts the instants its mutations happen at.
   */
  clock?: 'real-time' | 'frozen';
  /** Default 0: a free loopback port. */
  port?: number;
  /** Default: Zendesk's (10/min for the incremental and Talk exports, 20/min for the user cursor export, 700/min account). */
  rateLimit?: false | { incrementalPerMinute?: number; accountPerMinute?: number; perSecond?: number };
  /** OAuth access-token lifetime, default 1800. */
  accessTokenTtlSeconds?: number;
  /**
   * The scopes the OAuth client may be granted; a token request asking for another answers 400
   * `invalid_scope`, one asking for none gets these. Default: any scope asked for.
   */
  oauthAllowedScopes?: readonly string[];
  /** Items per page of the Talk exports (Zendesk documents no page size), default 1000. */
  talkPageSize?: number;
  /** Send a signed Zendesk event webhook here whenever a ticket is created or a customer comments. */
  webhook?: WebhookTarget;
}

export interface SandboxCreation {
  readonly ticketId: number;
  /** The creation audit's id (the Audits API lists it even when the export does not). */
  readonly auditId: number;
  /** ISO-8601, seconds. */
  readonly at: string;
  readonly channel: string;
  readonly inTicketEventExport: boolean;
  /** The ticket's updates after its creation (all in the export). */
  readonly laterUpdates: number;
  readonly statesDefaults: boolean;
  /** Deleted: the ticket export scrubs its record (no brand, form or organization left in it). */
  readonly deleted: boolean;
}

export interface Sandbox {
  readonly baseUrl: string;
  readonly credentials: {
    email: string;
    apiToken: string;
    oauth: { clientId: string; clientSecret: string; refreshToken: string };
    agent: { email: string; apiToken: string };
  };
  readonly truth: GroundTruth;
  /** The size's profile (span, default import window, volumes). */
  readonly profile: SizeProfile;
  /** The default import window for this account: the profile's `importDays` before the anchor, starting on a whole hour; the account spans more, so some tickets predate it. */
  readonly importWindow: { readonly since: string; readonly until: string };
  /** Ticket updates the ticket event export carries (every audit but the creations it leaves out). */
  readonly eventCount: number;
  /**
   * Every ticket's creation, with the shapes of `record-shapes.ts`: whether the ticket event export
   * carries it, and whether its audit states the ticket's default brand, form and organization.
   */
  readonly creations: readonly SandboxCreation[];
  now(): Date;
  advanceClock(seconds: number): void;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  requestCount(pathPrefix?: string): number;
  /** The path of every request served so far, in order of arrival (faults included). */
  requestedPaths(): readonly string[];
  addView(view: {
    title: string;
    active?: boolean;
    conditions: { all: SandboxCondition[]; any?: SandboxCondition[] };
  }): number;
  createTicket(t: { channel: string; requesterId?: number; groupId?: number; tags?: string[] }): number;
  /**
   * The customer writes again on a ticket (reopening it when pending, on hold or solved): a comment,
   * or through a conversation channel (live chat, messaging) a new chat session. Returns the audit id.
   */
  addCustomerComment(ticketId: number, channel: string): number;
  updateCallWrapUp(callId: number, wrapUpTimeSeconds: number): void;
  /** Another OAuth refresh token for the admin (each refresh-token grant revokes the one it used). */
  issueRefreshToken(): string;
  isRefreshTokenLive(token: string): boolean;
  /** Where (and with which signing secret) to send webhooks from now on; null stops sending. */
  configureWebhook(target: WebhookTarget | null): void;
  /** Resolves when every webhook sent so far was answered; counts the 2xx answers and the rest. */
  webhooksSettled(): Promise<{ delivered: number; failed: number }>;
  stop(): Promise<void>;
}

const checkChannel = (channel: unknown): string => {
  if (typeof channel !== 'string' || !/^[a-z0-9_]+$/.test(channel))
    throw new Error(
      `channel must be a Zendesk via.channel name such as "email", got ${JSON.stringify(channel)}`,
    );
  return channel;
};

const checkConditions = (conditions: readonly SandboxCondition[], where: string) => {
  conditions.forEach((c, i) => {
    for (const key of ['field', 'operator', 'value'] as const)
      if (typeof c?.[key] !== 'string') throw new Error(`conditions.${where}[${i}].${key} must be a string`);
  });
};

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const size = options.size ?? 'small';
  const profile = SIZE_PROFILES[size];
  if (!profile)
    throw new Error(`size must be one of ${Object.keys(SIZE_PROFILES).join(', ')}, got ${String(size)}`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`port must be 0–65535, got ${port}`);
  const ttl = options.accessTokenTtlSeconds ?? 1800;
  if (!Number.isInteger(ttl) || ttl < 1)
    throw new Error(`accessTokenTtlSeconds must be a positive integer, got ${ttl}`);
  const talkPageSize = options.talkPageSize ?? 1000;
  if (!Number.isInteger(talkPageSize) || talkPageSize < 1)
    throw new Error(`talkPageSize must be a positive integer, got ${talkPageSize}`);

  if (options.clock !== undefined && options.clock !== 'real-time' && options.clock !== 'frozen')
    throw new Error(`clock must be 'real-time' or 'frozen', got ${String(options.clock)}`);
  const anchorMs = anchorFrom(options.now);
  const anchor = Math.floor(anchorMs / 1000);
  const clock = new SandboxClock(anchorMs, options.clock ?? 'real-time');
  const account: Account = generateAccount(seed, size, anchor);
  const auth = new Auth(clock, { userId: ADMIN_ID, admin: true }, ttl, options.oauthAllowedScopes);
  const admin = account.usersById.get(ADMIN_ID)!;
  const agent = account.usersById.get(FIRST_AGENT_ID)!;
  const adminToken = auth.issueApiToken(admin.email, { userId: admin.id, admin: true });
  const agentToken = auth.issueApiToken(agent.email, { userId: agent.id, admin: false });
  const faults = new Faults();
  const webhooks = new WebhookSender(seed);
  webhooks.configure(options.webhook ?? null);
  const parts = {
    clock,
    auth,
    limiter: new RateLimiter(clock, options.rateLimit ?? {}),
    faults,
    endpoints: null as Endpoints | null,
  };
  const http = new SandboxHttpServer(parts);
  const boundPort = await http.listen(port);
  const baseUrl = `http://127.0.0.1:${boundPort}`;
  parts.endpoints = new Endpoints(account, new Renderer(account, baseUrl), baseUrl, { talkPageSize });

  let truthCache: { version: number; truth: GroundTruth } | null = null;
  const dataEnd = anchor - DATA_END_BEFORE_ANCHOR_SECONDS;
  const since = Math.floor((dataEnd - profile.importDays * 86_400) / 3600) * 3600;

  const ticketOf = (ticketId: number) => {
    const t = account.ticketIndex(ticketId);
    if (t === null) throw new Error(`ticketId ${ticketId} is not a ticket of this sandbox`);
    return t;
  };

  return {
    baseUrl,
    credentials: {
      email: admin.email,
      apiToken: adminToken,
      oauth: {
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        refreshToken: auth.initialRefreshToken,
      },
      agent: { email: agent.email, apiToken: agentToken },
    },
    get truth() {
      if (!truthCache || truthCache.version !== account.version)
        truthCache = { version: account.version, truth: buildTruth(account) };
      return truthCache.truth;
    },
    profile,
    importWindow: { since: isoSeconds(since), until: new Date(anchorMs).toISOString() },
    get eventCount() {
      let unexported = 0;
      for (let t = 0; t < account.ticketCount; t++) if (creationNotExported(account, t)) unexported++;
      return account.auditCount - unexported;
    },
    get creations() {
      const creations: SandboxCreation[] = [];
      for (let t = 0; t < account.ticketCount; t++) {
        const head = account.ticketHead.get(t);
        creations.push({
          ticketId: account.ticketId(t),
          auditId: account.auditId(head),
          at: isoSeconds(account.ticketCreated.get(t)),
          channel: account.channelNames[account.ticketChannel.get(t)]!,
          inTicketEventExport: !creationNotExported(account, t),
          laterUpdates: account.auditsOfTicket(t).length - 1,
          statesDefaults: !defaultsUnstated(t),
          deleted: account.finalState(t).status === 'deleted',
        });
      }
      return creations;
    },
    now: () => clock.now(),
    advanceClock: (seconds) => clock.advance(seconds),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    requestCount: (pathPrefix) => http.requestCount(pathPrefix),
    requestedPaths: () => http.requestedPaths(),
    addView(view) {
      if (typeof view?.title !== 'string' || view.title.trim() === '')
        throw new Error('title must be a non-empty string');
      if (!Array.isArray(view.conditions?.all))
        throw new Error('conditions.all must be an array of conditions');
      const any = view.conditions.any ?? [];
      checkConditions(view.conditions.all, 'all');
      checkConditions(any, 'any');
      const id = Math.max(...account.views.map((v) => v.id)) + 1;
      const now = clock.nowSeconds();
      const v: CatalogView = {
        id,
        title: view.title,
        active: view.active ?? true,
        conditions: { all: view.conditions.all.map((c) => ({ ...c })), any: any.map((c) => ({ ...c })) },
      };
      account.views.push({ ...v, position: account.views.length, createdAt: now, updatedAt: now });
      account.version++;
      return id;
    },
    createTicket(t) {
      const channel = checkChannel(t?.channel);
      const requester = t.requesterId ?? account.users.find((u) => u.role === 'end-user')!.id;
      const user = account.usersById.get(requester);
      if (!user) throw new Error(`requesterId ${requester} is not a user of this sandbox`);
      if (t.groupId !== undefined && !GROUP_LIST.some((g) => g.id === t.groupId))
        throw new Error(
          `groupId ${t.groupId} is not a group of this sandbox (${GROUP_LIST.map((g) => g.id).join(', ')})`,
        );
      const tags = (t.tags ?? []).map(tagIndex);
      const now = clock.nowSeconds();
      const ticket = account.addTicket(now, channel);
      const changes: [number, number, number][] = [
        [Field.Subject, 8, 0],
        [Field.Requester, requester, 0],
      ];
      if (user.organizationId) changes.push([Field.Organization, user.organizationId, 0]);
      changes.push([Field.Status, STATUSES.indexOf('new'), 0], [Field.Priority, 2, 0], [Field.Type, 1, 0]);
      changes.push([Field.Brand, 360_000_301, 0], [Field.Form, 360_000_222, 0]);
      for (const tag of tags) changes.push([Field.TagAdd, tag, 0]);
      if (t.groupId !== undefined) changes.push([Field.Group, t.groupId, 0]);
      account.appendToOrder(account.addAudit(ticket, now, AuditKind.Create, channel, requester, changes));
      webhooks.send('ticket.created', account.ticketId(ticket), clock.now());
      return account.ticketId(ticket);
    },
    addCustomerComment(ticketId, channelName) {
      const channel = checkChannel(channelName);
      const t = ticketOf(ticketId);
      const state = account.finalState(t);
      if (state.status === 'deleted' || state.status === 'closed')
        throw new Error(`ticketId ${ticketId} is ${state.status}; a customer cannot comment on it`);
      const changes: [number, number, number][] =
        state.status === 'open' || state.status === 'new'
          ? []
          : [[Field.Status, STATUSES.indexOf('open'), 0]];
      // Through a conversation channel the customer writes in a chat session, not a comment.
      const a = account.addAudit(
        t,
        clock.nowSeconds(),
        CONVERSATION_CHANNELS.has(channel) && channel !== 'chat_transcript'
          ? AuditKind.ChatStart
          : AuditKind.CustomerComment,
        channel,
        state.requesterId!,
        changes,
      );
      account.appendToOrder(a);
      webhooks.send('ticket.comment_added', ticketId, clock.now());
      return account.auditId(a);
    },
    updateCallWrapUp(callId, wrapUpTimeSeconds) {
      const c = callId - CALL_ID_BASE - 1;
      if (!Number.isInteger(c) || c < 0 || c >= account.callCount)
        throw new Error(`callId ${callId} is not a call of this sandbox`);
      if (!Number.isInteger(wrapUpTimeSeconds) || wrapUpTimeSeconds < 0)
        throw new Error(`wrapUpTimeSeconds must be an integer ≥ 0, got ${wrapUpTimeSeconds}`);
      account.callWrap.set(c, wrapUpTimeSeconds);
      account.callUpdated.set(c, Math.max(clock.nowSeconds(), account.callUpdated.get(c) + 1));
      account.invalidateCallOrder();
    },
    issueRefreshToken: () => auth.issueRefreshToken(),
    isRefreshTokenLive: (token) => auth.isRefreshTokenLive(token),
    configureWebhook: (target) => webhooks.configure(target),
    webhooksSettled: () => webhooks.settled(),
    stop: async () => {
      await webhooks.settled();
      await http.close();
    },
  };
}
