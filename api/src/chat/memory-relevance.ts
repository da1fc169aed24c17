// Which remembered facts a prompt carries first: a cheap lexical relevance to the question. A fact
// scores one point per distinct word it shares with the question (case-insensitive, a plural "s"
// ignored, short and stop words dropped); ties go to the most recently used. No embeddings: a user
// has at most a few hundred facts, and this ranks them in well under a millisecond.
const STOP_WORDS = new Set(
  'the and for are but not you your with that this what when where which who how why was were have has had can could would should will about from into than then them they their there our out its his her she him any all'.split(' '),
);

/** The words of a text that can carry meaning, normalised. */
function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    words.add(word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);
  }
  return words;
}

export interface RankableFact {
  key: string;
  value: string;
  /** When it was last used (or written): the tie-breaker. */
  usedAt: Date;
}

/** The facts, most relevant to the question first. */
export function rankFacts<F extends RankableFact>(facts: F[], question: string): F[] {
  const asked = contentWords(question);
  const score = (fact: F) => {
    let shared = 0;
    for (const word of contentWords(`${fact.key} ${fact.value}`)) if (asked.has(word)) shared++;
    return shared;
  };
  return facts
    .map((fact) => ({ fact, score: score(fact) }))
    .sort((a, b) => b.score - a.score || new Date(b.fact.usedAt).getTime() - new Date(a.fact.usedAt).getTime())
    .map(({ fact }) => fact);
}
