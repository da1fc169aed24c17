// The most frequent terms of users' messages: words of three letters or more, lower-cased, without
// stop words (English, the language of the seed's bots), counted once per message.
const STOP_WORDS = new Set(
  ('the and for are but not you all any can had her was one our out day get has him his how man new now old see two way who boy did its let put ' +
    'say she too use that with have this will your from they know want been good much some time very when come here just like long make many more ' +
    'only over such take than them well were what where which while would there their these those about after again also because before being ' +
    'between both could does doing down during each few further into itself last might most myself other ours same should then through under until ' +
    'upon what whom why yours yourself could cannot please thanks thank hello okay yes tell give need help does really something anything')
    .split(' '),
);

export function topTerms(texts: string[], count: number): Array<{ term: string; count: number }> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const terms = new Set(text.toLowerCase().match(/\p{L}[\p{L}\p{N}'-]{2,}/gu) ?? []);
    for (const term of terms) if (!STOP_WORDS.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, count).map(([term, n]) => ({ term, count: n }));
}
