import { describe, expect, it } from '@jest/globals';
import {
  describeSubject,
  isHeldIn,
  parkedReason,
  parkMessage,
  type ParkedWorkDeps,
} from '../../../shared/pipeline/parked-work.js';
import type { Integration } from '../../../shared/store/integrations-repository.js';
import { ACME, modifyOf } from '../../support/integrations.js';

describe('parked work: what a person is told', () => {
  it.each([
    [
      'a page names its stream and page',
      { integrationId: 'i', stream: 'ticket_events', pageKey: 'p1' },
      'the ticket_events stream, page p1',
    ],
    ['a fetch job names its stream', { integrationId: 'i', stream: 'calls' }, 'the calls stream'],
    [
      'an update names its kind and page',
      { integrationId: 'i', type: 'updates', pageKey: 'p2' },
      'updates message, page p2',
    ],
    ['nothing known: a message', { integrationId: 'i' }, 'a message'],
  ])('%s', (_rule, subject, expected) => {
    expect(describeSubject(subject)).toBe(expected);
  });

  it('the reason names the stage, since when, why, what, and the command that fixes it', () => {
    expect(
      parkedReason([
        {
          queue: 'updates',
          reason: 'audits: 500',
          concerns: 'the ticket_events stream, page p1',
          since: '2026-12-01T10:00:00.000Z',
        },
      ]),
    ).toBe(
      'the import stopped at placing updates in views since 2026-12-01T10:00:00.000Z: audits: 500 (the ticket_events stream, page p1); its work is kept: fix the cause, then run `zendesk-wfm redrive`',
    );
  });
});

describe('parked work: when a message is parked', () => {
  it('holds only the queue the work is parked in', () => {
    const held: Integration = {
      ...ACME,
      parked: [{ queue: 'updates', reason: 'r', concerns: 'c', since: 's' }],
    };
    expect([isHeldIn(held, 'updates'), isHeldIn(held, 'contacts'), isHeldIn(ACME, 'updates')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('marks the integration failing before it parks the message, and only the first parking of a queue is recorded', async () => {
    const saved: Integration[] = [];
    const parked: string[] = [];
    let stored: Integration = { ...ACME, status: 'active', statusReason: null };
    const deps: ParkedWorkDeps = {
      integrations: {
        get: () => Promise.resolve(stored),
        modify: modifyOf(
          () => stored,
          (i) => {
            saved.push(i);
            stored = i;
            parked.push('marked');
          },
        ),
      },
      deadLetters: {
        canPark: () => true,
        park: (queue, body, reason, groupId) => {
          parked.push(`${queue}:${body}:${reason}:${groupId ?? ''}`);
          return Promise.resolve();
        },
      },
      now: () => new Date('2026-12-01T10:00:00Z'),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    };
    const subject = { integrationId: ACME.id, stream: 'ticket_events', pageKey: 'p1' };
    await parkMessage(deps, 'changes', subject, 'body-1', 'boom');
    await parkMessage(deps, 'changes', { ...subject, pageKey: 'p2' }, 'body-2', 'boom again');
    expect(parked).toEqual([
      'marked',
      `changes:body-1:boom:${ACME.id}`,
      `changes:body-2:boom again:${ACME.id}`,
    ]);
    expect(saved).toHaveLength(1);
    expect(stored.status).toBe('failing');
    expect(stored.parked).toEqual([
      {
        queue: 'changes',
        reason: 'boom',
        concerns: 'the ticket_events stream, page p1',
        since: '2026-12-01T10:00:00.000Z',
      },
    ]);
  });
});
