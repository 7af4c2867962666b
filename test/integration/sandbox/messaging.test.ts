import { describe, expect, it } from '@jest/globals';
import { AuditKind } from '../../../sandbox/account.js';
import { generateAccount } from '../../../sandbox/generator.js';
import { buildTruth } from '../../../sandbox/ground-truth.js';
import { Renderer } from '../../../sandbox/render.js';
import { conversationVerdict, detectInteraction } from '../../../shared/domain/interactions.js';
import { applyUpdate, type TicketState } from '../../../shared/domain/ticket-state.js';
import { compactAudit, compactTicketEvent } from '../../../shared/zendesk/compact.js';

/**
 * The messaging rule, update by update: every update of the sandbox's messaging and live-chat
 * tickets, rendered as Zendesk sends it (the ticket event export and the Audits API), compacted
 * and judged by the product with the ticket's state before it (as the view classifier does: the
 * first session of a conversation is the creation's), is an interaction exactly when the sandbox's
 * ground truth (written from the rule alone) says so, in the same channel.
 */
describe('messaging conversations: the product agrees with the ground truth on every update', () => {
  const account = generateAccount(3, 'small', Date.parse('2024-06-10T12:00:00Z') / 1000);
  const truth = new Map(buildTruth(account).interactions.map((x) => [x.auditId, x.viaChannel]));
  const renderer = new Renderer(account, 'http://sandbox.invalid');
  const roleOf = (id: number) => account.roleOf(id) ?? undefined;
  const sessionTickets = new Set<number>();
  for (let a = 0; a < account.auditCount; a++) {
    const kind = account.auditKind.get(a);
    if (kind === AuditKind.ChatStart || kind === AuditKind.ChatEnd)
      sessionTickets.add(account.auditTicket.get(a));
  }
  const audits = [...sessionTickets].flatMap((t) => account.auditsOfTicket(t));

  it('covers sessions, session ends with transcripts, re-engagement after a solve, and creations whose session comes apart', () => {
    const kinds = audits.map((a) => account.auditKind.get(a));
    expect(kinds.filter((k) => k === AuditKind.ChatStart).length).toBeGreaterThan(50);
    expect(kinds.filter((k) => k === AuditKind.ChatEnd).length).toBeGreaterThan(50);
    const transcripts = audits.filter(
      (a) => account.auditKind.get(a) === AuditKind.ChatEnd && account.auditExtra.get(a) === 1,
    );
    expect(transcripts.length).toBeGreaterThan(50);
    const afterSolve = audits.filter(
      (a) => account.auditKind.get(a) === AuditKind.ChatStart && account.stateBefore(a).status === 'solved',
    );
    expect(afterSolve.length).toBeGreaterThan(10);
    expect([...sessionTickets].filter((t) => account.creationSessionApart.has(t)).length).toBeGreaterThan(10);
  });

  it.each([
    [
      'the ticket event export',
      (a: number) => compactTicketEvent(renderer.exportEvent(a, account.stateBefore(a), true).event),
    ],
    ['the Audits API', (a: number) => compactAudit(renderer.audit(a, account.stateBefore(a)).audit)],
  ])('through %s', (_form, compacted) => {
    const disagreements: string[] = [];
    const states = new Map<number, TicketState>();
    for (const a of audits) {
      const update = compacted(a);
      const before = states.get(update.ticketId);
      const after = applyUpdate(before, update);
      const verdict = conversationVerdict(detectInteraction(update, roleOf), update, before, after);
      states.set(update.ticketId, after);
      const expected = truth.get(account.auditId(a)) ?? null;
      const actual = verdict.kind === 'none' ? null : verdict.viaChannel;
      if (actual !== expected)
        disagreements.push(
          `audit ${account.auditId(a)} (kind ${account.auditKind.get(a)}): ${actual} ≠ ${expected}`,
        );
    }
    expect(disagreements).toEqual([]);
  });
});
