import { describe, expect, it } from '@jest/globals';
import {
  descriptionPartsFound,
  descriptionTerms,
  partTermOf,
} from '../../../shared/domain/description-terms.js';
import type { ViewRecord } from '../../../shared/domain/records.js';
import { emptyTicketState, type TicketState } from '../../../shared/domain/ticket-state.js';
import { descriptionSearchWords, viewMatches } from '../../../shared/domain/view-conditions.js';

const AT = '2024-06-10T12:00:00Z';

const view = (operator: string, value: string, id = 360100040): ViewRecord => ({
  id,
  title: 'Description',
  active: true,
  updatedAt: '2024-05-20T14:12:00Z',
  position: 1,
  conditions: { all: [{ field: 'description_includes_word', operator, value }], any: [] },
});

/** A ticket whose description was read for the search words of `views` (as compaction reads it). */
const described = (text: string, views: readonly ViewRecord[]): TicketState => {
  const found = descriptionPartsFound(text, descriptionSearchWords(views));
  return {
    ...emptyTicketState(5120),
    status: 'open',
    descriptionTerms: descriptionTerms(text),
    ...(found.length > 0 ? { descriptionPartsFound: found } : {}),
  };
};

/** Whether a view "description contains at least one of" `word` holds, its word read as it came. */
const contains = (text: string, word: string) => {
  const v = view('includes', word);
  return viewMatches(v, described(text, [v]), AT);
};

const TEXT = "My invoice is wrong, I'd like a refund for order 42. Log-in fails.";

describe('"description contains at least one of the following" matches words containing the search word (Zendesk: "none" finds "nonetheless")', () => {
  const rows: [rule: string, description: string, word: string, expected: boolean][] = [
    ['Zendesk’s example: "none" matches "nonetheless"', 'Nonetheless, it arrived', 'none', true],
    ['a word contained in a description word: "fund" in "refunds"', 'Two refunds', 'fund', true],
    ['a part in the middle of a description word', TEXT, 'nvoi', true],
    ['a part at the end of a description word', TEXT, 'voice', true],
    ['a whole description word', TEXT, 'refund', true],
    ['case-insensitive', 'REFUNDS please', 'Fund', true],
    ['a part with an apostrophe inside: "on\'t" in "don\'t"', "I don't know", "on't", true],
    ['a part of a long word (a URL’s, a token’s)', `see ${'x'.repeat(60)}abcde`, 'abcd', true],
    ['a description word must hold the whole search word', 'one refund', 'refunds', false],
    ['a word spread over two description words does not match', 're fund', 'refund', false],
    ['a search word of several words (log-in) is the run of whole words', TEXT, 'log-in', true],
    ['a search word of several words is not matched inside one word', 'login', 'log-in', false],
    ['a search word without word characters matches nothing', TEXT, '--', false],
    ['an empty description holds no word', '', 'a', false],
  ];

  it.each(rows)('%s', (_rule, text, word, expected) => {
    expect(contains(text, word)).toBe(expected);
  });

  it('"contains none of the following" excludes a description with a word containing the search word', () => {
    const none = view('not_includes', 'none');
    expect(viewMatches(none, described('Nonetheless, it arrived', [none]), AT)).toBe(false);
    expect(viewMatches(none, described('It arrived', [none]), AT)).toBe(true);
  });

  it('the string forms (is / is not) stay runs of whole words: Zendesk documents no part rule for them', () => {
    const part = view('is', 'fund');
    const whole = view('is', 'two refunds');
    expect(viewMatches(part, described('Two refunds', [part]), AT)).toBe(false);
    expect(viewMatches(whole, described('Two refunds', [whole]), AT)).toBe(true);
  });

  it('a search word the views did not have when the description was read is matched whole (a view’s word that came later)', () => {
    const later = view('includes', 'fund');
    const state = described('Two refunds', [view('includes', 'two')]);
    expect(viewMatches(later, state, AT)).toBe(false);
    expect(viewMatches(view('includes', 'refunds'), state, AT)).toBe(true);
  });
});

describe('descriptionPartsFound and descriptionSearchWords', () => {
  it('the search words a word of the text contains, hashed apart from the words’ own hashes, sorted', () => {
    const found = descriptionPartsFound('Two refunds', ['fund', 'two', 'zzz', 'fund']);
    expect(found).toEqual([partTermOf('fund'), partTermOf('two')].sort((a, b) => a - b));
    expect(descriptionTerms('fund')).not.toContain(partTermOf('fund'));
    expect(descriptionPartsFound('Two refunds', [])).toEqual([]);
  });

  it('the views’ single search words of contains at least one of / none of, lower case, sorted; not the string forms, not a run of words', () => {
    expect(
      descriptionSearchWords([
        view('includes', 'Refund invoice'),
        view('not_includes', 'spam log-in', 2),
        view('is', 'cannot', 3),
      ]),
    ).toEqual(['invoice', 'refund', 'spam']);
  });
});
