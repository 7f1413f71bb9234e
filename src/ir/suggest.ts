/**
 * "Did you mean" suggestions. Typing mistakes are mostly one wrong, missing, extra or swapped
 * letter, so the distance is Damerau-Levenshtein's optimal string alignment (a swap costs 1:
 * `rleu` is one edit from `relu`); plain Levenshtein would prefer `elu`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The closest candidate to a misspelt word, if close enough to be a plausible typo (at most a
 * third of the word's length, minimum 2 edits; case ignored). Ties go to the candidate of the
 * most similar length.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestKey = [Infinity, Infinity];
  for (const candidate of candidates) {
    const key = [editDistance(lower, candidate.toLowerCase()), Math.abs(candidate.length - word.length)];
    if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && key[1]! < bestKey[1]!)) {
      best = candidate;
      bestKey = key;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestKey[0]! <= limit ? best : undefined;
}

/** ` Did you mean 'relu'?` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` Did you mean '${c}'?`;
}
