// "did you mean …?" for a misspelt flag, parameter, variable or config key: the known names closest to what was
// given, compared without case and separators, so that `rollout-version`, `PARAM_ROLLOUT_VERSION` and `rolloutVersion`
// all find their setting.

function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known names nearest to `given` (all that tie, at most three), or none when even the nearest differs in more
 * than a quarter of its letters (at least two): a guess that far off would mislead.
 */
export function nearestNames(given: string, known: readonly string[]): string[] {
  const target = squash(given);
  const scored = known.map((name) => ({ name, distance: editDistance(target, squash(name)) }));
  const best = Math.min(...scored.map((entry) => entry.distance));
  if (!(best <= Math.max(2, Math.floor(target.length / 4)))) return [];
  return scored.filter((entry) => entry.distance === best).slice(0, 3).map((entry) => entry.name);
}

/** `did you mean a?`, `did you mean a or b?`; `otherwise` when no name is near. */
export function didYouMean(given: string, known: readonly string[], otherwise: string): string {
  const names = nearestNames(given, known);
  if (names.length === 0) return otherwise;
  return `did you mean ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`}?`;
}
