// "Perhaps you meant ..." hints: the closest candidate as PostgREST finds it with the `fuzzyset`
// library (gram size 3, else 2; cosine similarity of gram counts, the best 50 rescored by
// normalised Levenshtein distance; at least 0.33 to count as a match).
const MIN_SCORE = 0.33;

function grams(value: string, size: number): Map<string, number> {
  const padded = `-${value.toLowerCase().replace(/[^\p{L}\p{N}\s,]/gu, "")}-`;
  const counts = new Map<string, number>();
  for (let i = 0; i + size <= padded.length; i++) {
    const gram = padded.slice(i, i + size);
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

const magnitude = (counts: Map<string, number>) => Math.sqrt([...counts.values()].reduce((sum, n) => sum + n * n, 0));

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** 1 for equal strings, 0 for nothing in common. */
function levenshteinScore(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - levenshtein(a, b) / longest;
}

function matchesOfSize(query: string, candidates: string[], size: number): { score: number; value: string }[] {
  const wanted = grams(query, size);
  const wantedMagnitude = magnitude(wanted);
  const found: { score: number; value: string }[] = [];
  for (const value of candidates) {
    const own = grams(value, size);
    let dot = 0;
    for (const [gram, count] of wanted) dot += count * (own.get(gram) ?? 0);
    if (dot > 0) found.push({ score: dot / (wantedMagnitude * magnitude(own)), value });
  }
  const key = query.toLowerCase();
  return found
    .sort((a, b) => b.score - a.score)
    .slice(0, 50)
    .map(({ value }) => ({ score: levenshteinScore(key, value.toLowerCase()), value }))
    .filter((match) => match.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score);
}

/** The candidate closest to `query`, or undefined when none is close enough. */
export function closestMatch(query: string, candidates: readonly string[]): string | undefined {
  const unique = [...new Set(candidates)];
  const exact = unique.find((value) => value.toLowerCase() === query.toLowerCase());
  if (exact !== undefined) return exact;
  for (const size of [3, 2]) {
    const matches = matchesOfSize(query, unique, size);
    if (matches.length) return matches[0].value;
  }
  return undefined;
}
