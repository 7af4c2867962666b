/**
 * "Description contains …" without keeping the description: the first comment is reduced to the
 * hashes of its words and of its adjacent word pairs (32-bit FNV-1a of the lower-cased words), so
 * the view condition can be evaluated while no text is stored or carried.
 *
 * Words are runs of letters, digits and apostrophes, case-insensitive. The string operators ("is" /
 * "is not") match runs of whole words: Zendesk documents no other rule for them. "Contains at least
 * one of / none of the following" considers, Zendesk documents, "words containing part of the
 * entered search terms" ("none" finds "nonetheless"): for those, the description is also reduced to
 * which of the integration's views' search words its words contain (`descriptionPartsFound`), as
 * hashes in a namespace of their own (behind `*`, which no word holds). Keeping every part of every
 * word instead, so that any later search word could be asked, is several times the words' hashes
 * for every ticket; a view's word that came after a ticket's creation is matched whole instead.
 */

const WORD = /[\p{L}\p{N}']+/gu;

/** The words of a text, lower case, in order. */
export const wordsOf = (text: string): string[] =>
  (text.toLowerCase().match(WORD) ?? []).map((word) => word.replace(/^'+|'+$/g, '')).filter((w) => w !== '');

const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

const termOf = (...words: string[]): number => fnv1a(words.join(' '));

const PART_PREFIX = '*';

/** The hash a search word found as part of a description word is kept under: apart from a word's. */
export const partTermOf = (word: string): number => fnv1a(`${PART_PREFIX}${word}`);

/**
 * Which of these search words (the integration's views' "contains at least one of / none of"
 * words, `partWordOf`) a word of the text contains, as `partTermOf` hashes, sorted: what "description
 * contains" needs of a description beyond its words' hashes.
 */
export const descriptionPartsFound = (text: string, searchWords: readonly string[]): number[] => {
  if (searchWords.length === 0) return [];
  const words = [...new Set(wordsOf(text))];
  return [...new Set(searchWords.filter((search) => words.some((word) => word.includes(search))))]
    .map(partTermOf)
    .sort((a, b) => a - b);
};

/**
 * The search word of a "contains at least one of / none of" token that can be matched as a part: a
 * single word (a token of several, "log-in", is the run of words it makes), else null.
 */
export const partWordOf = (token: string): string | null => {
  const words = wordsOf(token);
  return words.length === 1 ? words[0]! : null;
};

/** The terms of a text: each word and each adjacent pair, hashed, unique, sorted. */
export const descriptionTerms = (text: string): number[] => {
  const words = wordsOf(text);
  const terms = new Set<number>();
  words.forEach((word, i) => {
    terms.add(termOf(word));
    if (i > 0) terms.add(termOf(words[i - 1]!, word));
  });
  return [...terms].sort((a, b) => a - b);
};

/**
 * Whether the text behind `terms` contains this word. A word with other characters inside it
 * ("e-mail", "log-in") is the same run of words in the text, so it is matched as that phrase, never
 * by its first part alone.
 */
export const hasWord = (terms: readonly number[], word: string): boolean => {
  const words = wordsOf(word);
  if (words.length > 1) return hasPhrase(terms, word);
  return words.length === 1 && terms.includes(termOf(words[0]!));
};

/**
 * Whether the text behind `terms` contains this phrase: every word, and every adjacent pair of it
 * adjacent. Exact for phrases of one or two words; a longer phrase matches when all its pairs occur,
 * which may, rarely, be in another order.
 */
export const hasPhrase = (terms: readonly number[], phrase: string): boolean => {
  const words = wordsOf(phrase);
  if (words.length === 0) return false;
  return words.every(
    (word, i) => terms.includes(termOf(word)) && (i === 0 || terms.includes(termOf(words[i - 1]!, word))),
  );
};
