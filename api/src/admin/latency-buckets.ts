// Latency histograms with fixed bucket bounds: the roll-up counts replies per bucket in SQL (the
// same CASE on SQLite and PostgreSQL), and percentiles over any range are read from the summed
// counts. A percentile is reported as its bucket's upper bound, so it is exact to within one bucket
// (≤ 25 % of the value above 100 ms) — enough to see a regression, and it never reads a message row.
import { Prisma } from '@multi-bot-chat/prisma/sqlite';

/** Upper bounds in ms; a last, open bucket holds everything slower. */
export const BUCKET_BOUNDS_MS = [
  25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10000, 15000, 20000,
  30000, 45000, 60000,
];

/** The bucket index of a column, as SQL. `column` is a trusted identifier. */
export function bucketSql(column: string) {
  const cases = BUCKET_BOUNDS_MS.map((bound, index) => `WHEN ${column} <= ${bound} THEN ${index}`).join(' ');
  return Prisma.raw(`CASE ${cases} ELSE ${BUCKET_BOUNDS_MS.length} END`);
}

export function addBuckets(into: number[], counts: number[]): number[] {
  for (let i = 0; i < counts.length; i++) into[i] = (into[i] ?? 0) + (counts[i] ?? 0);
  return into;
}

/** The p-th percentile (0..1) of a histogram, as its bucket's upper bound; null without data. */
export function percentile(counts: number[], p: number): number | null {
  const total = counts.reduce((sum, n) => sum + (n ?? 0), 0);
  if (!total) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return BUCKET_BOUNDS_MS[i] ?? BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.length - 1] * 2;
  }
  return null;
}
