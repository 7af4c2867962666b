import type { CoverageReport } from '../shared/pipeline/coverage.js';
import type { FailureKind, Integration } from '../shared/store/integrations-repository.js';
import { EXIT, type ExitCode } from './errors.js';

/**
 * How an integration of a local install is doing, in the words a person reads after each run: how
 * many contacts the run added, how far its history is complete, or why it fails and which command
 * fixes it. Pure: the commands read the integration, its coverage and its cursors, then render.
 */

/** An active integration whose history ends further back than this is `behind`. */
export const BEHIND_AFTER_MS = 30 * 60_000;

export type HealthState = 'current' | 'behind' | 'failing' | 'paused';

export interface IntegrationHealth {
  readonly name: string;
  readonly state: HealthState;
  /** Contacts (interactions and inbound calls) this run added. */
  readonly newContacts: number;
  /** Everything before this is imported; null when no import has read a time stream yet. */
  readonly completeUpTo: Date | null;
  /** How far `completeUpTo` is behind now (behind only). */
  readonly behindMs?: number;
  /** Zendesk refuses the Talk export to the integration's credentials: no calls are imported. */
  readonly withoutTalk?: boolean;
  /** failing only */
  readonly failure?: {
    readonly since: Date;
    readonly words: string;
    readonly reason: string;
    readonly fix: string;
    readonly exitCode: ExitCode;
  };
}

/** What a kind of failure is, in plain words. */
export const FAILURE_WORDS: Readonly<Record<FailureKind, string>> = {
  credentials_refused: 'Zendesk refuses the credentials',
  export_closed: 'Zendesk keeps its exports from this OAuth client',
  zendesk_unreachable: 'Zendesk unreachable',
  zendesk_errors: 'Zendesk answers with server errors',
  export_stuck: 'a Zendesk export does not advance',
  request_refused: 'Zendesk refuses a request',
  rate_limited: "Zendesk's rate limit held an import step back for an hour",
  work_failed: 'an import step keeps failing',
};

/** Zendesk's refusals are exit 3 (fix the account or the credentials); every other failure is 1. */
export const exitCodeOf = (kind: FailureKind | undefined): ExitCode =>
  kind === 'credentials_refused' || kind === 'export_closed' ? EXIT.refusedByZendesk : EXIT.failed;

export const shellWord = (name: string) =>
  /^[\w./@:+-]+$/.test(name) ? name : `"${name.replace(/(["\\$`])/g, '\\$1')}"`;

/** The command that makes a failing integration import again. */
export const fixCommand = (integration: Integration, dataDir: string): string => {
  const where = `${shellWord(integration.name)} --data-dir ${shellWord(dataDir)}`;
  const parked = (integration.parked ?? []).length > 0;
  const kind = integration.failure?.kind;
  if (kind === 'credentials_refused' || kind === 'export_closed') {
    const credentials = `\`zendesk-wfm integration set-credentials ${where} …\``;
    return parked ? `${credentials}, then \`zendesk-wfm redrive ${where}\`` : credentials;
  }
  if (parked) return `\`zendesk-wfm redrive ${where}\` once the cause is fixed`;
  return `\`zendesk-wfm integration resume ${where}\` once the cause is fixed`;
};

/** Contacts a run added: interactions and inbound calls counted since the coverage before it. */
export const newContacts = (
  before: Pick<CoverageReport, 'interactionsCounted' | 'callsCounted'> | undefined,
  after: Pick<CoverageReport, 'interactionsCounted' | 'callsCounted'>,
): number =>
  after.interactionsCounted -
  (before?.interactionsCounted ?? 0) +
  after.callsCounted -
  (before?.callsCounted ?? 0);

export const healthOf = (input: {
  readonly integration: Integration;
  readonly newContacts: number;
  readonly completeUpTo: Date | null;
  readonly now: Date;
  readonly dataDir: string;
}): IntegrationHealth => {
  const { integration: i, now } = input;
  const base = {
    name: i.name,
    newContacts: input.newContacts,
    completeUpTo: input.completeUpTo,
    ...(i.talkUnavailable ? { withoutTalk: true } : {}),
  };
  if (i.status === 'failing') {
    const kind = i.failure?.kind ?? 'work_failed';
    return {
      ...base,
      state: 'failing',
      failure: {
        since: new Date(i.failure?.since ?? i.updatedAt),
        words: FAILURE_WORDS[kind],
        reason: i.statusReason ?? 'no reason recorded',
        fix: fixCommand(i, input.dataDir),
        exitCode: exitCodeOf(i.failure?.kind),
      },
    };
  }
  if (i.status === 'paused' || i.status === 'deleted') return { ...base, state: 'paused' };
  const behindMs = input.completeUpTo ? now.getTime() - input.completeUpTo.getTime() : undefined;
  return behindMs !== undefined && behindMs > BEHIND_AFTER_MS
    ? { ...base, state: 'behind', behindMs }
    : { ...base, state: 'current' };
};

/** `14:05 UTC` on the day of `now`, else `2026-12-01 14:05 UTC`. */
export const clockTime = (at: Date, now: Date): string => {
  const iso = at.toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
};

/** `3 h 12 min`, `45 min`, `2 days 4 h`: how far behind, to the minute. */
export const lag = (ms: number): string => {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours > 0 ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${rest > 0 ? ` ${rest} min` : ''}`;
  return `${rest} min`;
};

const contacts = (n: number) => `${n.toLocaleString('en-US')} new contact${n === 1 ? '' : 's'}`;

/** What a run line adds when the calls are not imported (`integration show` says why). */
const talk = (h: IntegrationHealth): string =>
  h.withoutTalk ? '; no Talk calls: Zendesk refuses its Talk export (`integration show` says why)' : '';

/**
 * One plain line per integration per run, e.g. `Acme: 12 new contacts, complete up to 14:05 UTC`
 * or `Acme: failing since 14:05 UTC: Zendesk unreachable (…); fix: …`. `retrying` says what a
 * running `serve` does next, when it does something.
 */
export const healthLine = (h: IntegrationHealth, now: Date, retrying?: string): string => {
  const upTo = h.completeUpTo ? `complete up to ${clockTime(h.completeUpTo, now)}` : 'nothing imported yet';
  switch (h.state) {
    case 'failing': {
      const f = h.failure!;
      return `${h.name}: failing since ${clockTime(f.since, now)}: ${f.words} (${f.reason}); ${retrying ?? `to fix: ${f.fix}`}`;
    }
    case 'paused':
      return `${h.name}: paused, ${upTo}`;
    case 'behind':
      return `${h.name}: behind by ${lag(h.behindMs ?? 0)}: ${contacts(h.newContacts)}, ${upTo}${talk(h)}`;
    case 'current':
      return `${h.name}: ${contacts(h.newContacts)}, ${upTo}${talk(h)}`;
  }
};

/**
 * What `integration show` says of an integration whose history ends further back than it should:
 * how far, and `whatToDo` (which differs between a local install and the deployed stack).
 */
export const behindWarning = (h: IntegrationHealth, now: Date, whatToDo: string): string | undefined =>
  h.state === 'behind' && h.completeUpTo
    ? `behind by ${lag(h.behindMs ?? 0)}: complete up to ${clockTime(h.completeUpTo, now)}; ${whatToDo}`
    : undefined;
