import { describe, expect, it } from '@jest/globals';
import { RefusalTally, type WebhookRefusal } from '../../../shared/webhook/refusals.js';

describe('RefusalTally: refused webhooks are summarised, not logged one by one', () => {
  type Row = [rule: string, refusals: WebhookRefusal[], line: string | undefined];
  const rows: Row[] = [
    ['no refusals, no line', [], undefined],
    ['one refusal', ['missing_signature'], 'refused webhooks in the last minute: 1 (missing_signature 1)'],
    [
      'counts by reason, most frequent first, ties by name',
      [
        ...Array<WebhookRefusal>(1990).fill('missing_signature'),
        ...Array<WebhookRefusal>(10).fill('unknown_integration'),
        'stale',
        'bad_signature',
      ],
      'refused webhooks in the last minute: 2002 (missing_signature 1990, unknown_integration 10, bad_signature 1, stale 1)',
    ],
  ];
  it.each(rows)('%s', (_rule, refusals, line) => {
    const tally = new RefusalTally();
    for (const r of refusals) tally.add(r);
    expect(tally.report('in the last minute')).toBe(line);
  });

  it('starts counting afresh after each report', () => {
    const tally = new RefusalTally();
    tally.add('stale');
    tally.report('in the last minute');
    expect(tally.report('in the last minute')).toBeUndefined();
    tally.add('not_post');
    expect(tally.report('before stopping')).toBe('refused webhooks before stopping: 1 (not_post 1)');
  });
});
