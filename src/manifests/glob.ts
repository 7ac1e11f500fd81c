// Globs for the `exclude` setting, matched against paths relative to the app directory with `/` separators:
// `*` and `?` stay within one path segment, `**` spans segments, `[...]` is a character class, `{a,b}` alternatives
// (braces must pair up).
//
// Matching runs a small automaton over the path, one character at a time, so it takes time proportional to the
// path's length times the glob's: globs come from the repository, and a regular expression such as the one
// `*a*a*a*a*b` turns into backtracks exponentially on a long name.

/** A state of the automaton: it consumes one character that passes `test`, or none when there is no test. */
interface State {
  test?: (char: string) => boolean;
  out: State[];
  accept?: true;
}

type Item = { test: (char: string) => boolean } | { repeat: 'segment' | 'any' | 'segments' } | { alternatives: Item[][] };

const anyChar = () => true;
const notSlash = (char: string) => char !== '/';

/**
 * The `[...]` class that opens at `glob[start]`: its test and the index of its `]`; undefined when there is none or
 * its body is not a valid class (then `[` is an ordinary character). Settings read from one env variable split at
 * commas outside classes with this too.
 */
export function characterClassAt(glob: string, start: number): { test: (char: string) => boolean; end: number } | undefined {
  if (glob[start] !== '[') return undefined;
  // No class is longer than a glob: looking no further keeps a long env value of `[` linear to split.
  const offset = glob.slice(start + 1, start + GLOB_LIMITS.length).indexOf(']');
  if (offset < 0) return undefined;
  const end = start + 1 + offset;
  try {
    const pattern = new RegExp(`^[${glob.slice(start + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]$`);
    return { test: (char) => pattern.test(char), end };
  } catch {
    return undefined;
  }
}

/**
 * Bounds on one glob. Matching costs the path's length times the glob's, and every `**` keeps a state alive to the
 * end of the path: a 3 KB glob of `**` over a deep tree took half a minute. Building the automaton recurses once per
 * brace level, so the nesting is bounded too. Every glob of a list is matched against every path, so the list is
 * bounded as well, in globs and in characters (3,000 globs each within the bounds took 25 s). Real globs stay far
 * below all of them.
 */
export const GLOB_LIMITS = { length: 256, braceDepth: 8, globstars: 8, count: 64, totalLength: 1024 } as const;

/** What is wrong with a list of globs as a whole, or undefined; a glob wrong by itself is reported on its own. */
export function globListProblem(globs: readonly string[]): string | undefined {
  if (globs.some((glob) => globProblem(glob) !== undefined)) return undefined;
  if (globs.length > GLOB_LIMITS.count) return `expected at most ${GLOB_LIMITS.count} globs, not ${globs.length}`;
  const total = globs.reduce((sum, glob) => sum + glob.length, 0);
  if (total > GLOB_LIMITS.totalLength) return `expected at most ${GLOB_LIMITS.totalLength} characters in all the globs together, not ${total}`;
  return undefined;
}

/** The glob's items, or what is wrong with it: over a bound, or braces that do not pair up. */
function parse(glob: string): { items: Item[] } | { problem: string } {
  if (glob.length > GLOB_LIMITS.length) return { problem: `a glob is at most ${GLOB_LIMITS.length} characters long; this one has ${glob.length}` };
  const root: Item[] = [];
  // Open `{` groups: the group's alternatives, the last of which is being filled.
  const groups: Item[][][] = [];
  let globstars = 0;
  const current = () => groups[groups.length - 1]?.at(-1) ?? root;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    const characterClass = characterClassAt(glob, i);
    if (char === '*' && glob[i + 1] === '*') {
      if (++globstars > GLOB_LIMITS.globstars) return { problem: `a glob has at most ${GLOB_LIMITS.globstars} \`**\`` };
      const slash = glob[i + 2] === '/';
      current().push({ repeat: slash ? 'segments' : 'any' });
      i += slash ? 2 : 1;
    } else if (char === '*') current().push({ repeat: 'segment' });
    else if (char === '?') current().push({ test: notSlash });
    else if (characterClass) {
      current().push({ test: characterClass.test });
      i = characterClass.end;
    } else if (char === '{') {
      if (groups.length === GLOB_LIMITS.braceDepth) return { problem: `braces nest at most ${GLOB_LIMITS.braceDepth} deep in a glob` };
      groups.push([[]]);
    } else if (char === '}') {
      const alternatives = groups.pop();
      if (!alternatives) return { problem: `\`}\` at character ${i + 1} closes no \`{\` (match a literal brace with [}])` };
      current().push({ alternatives });
    } else if (char === ',' && groups.length > 0) groups[groups.length - 1]!.push([]);
    else current().push({ test: (c) => c === char });
  }
  if (groups.length > 0) return { problem: `${groups.length === 1 ? 'a `{` is' : `${groups.length} \`{\` are`} never closed (match a literal brace with [{])` };
  return { items: root };
}

/** Why `glob` is not a glob this module matches, or undefined when it is one. */
export function globProblem(glob: string): string | undefined {
  const parsed = parse(glob);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** The automaton for `items` followed by `next`, built back to front. */
function build(items: readonly Item[], next: State): State {
  return items.reduceRight<State>((after, item) => {
    if ('test' in item) return { test: item.test, out: [after] };
    if ('alternatives' in item) return { out: item.alternatives.map((alternative) => build(alternative, after)) };
    // A loop: leave, or consume one character and come back. `**/` is `(any characters, then /)` or nothing.
    const loopExit = item.repeat === 'segments' ? { test: (c: string) => c === '/', out: [after] } : after;
    const loop: State = { out: [loopExit] };
    loop.out.push({ test: item.repeat === 'segment' ? notSlash : anyChar, out: [loop] });
    return item.repeat === 'segments' ? { out: [after, loop] } : loop;
  }, next);
}

/** The consuming and accepting states reachable from `states` without consuming anything. */
function closure(states: Iterable<State>): Set<State> {
  const reached = new Set<State>();
  const pending = [...states];
  const seen = new Set<State>();
  while (pending.length > 0) {
    const state = pending.pop()!;
    if (seen.has(state)) continue;
    seen.add(state);
    if (state.test || state.accept) reached.add(state);
    else pending.push(...state.out);
  }
  return reached;
}

function matcher(items: readonly Item[]): (path: string) => boolean {
  const start = closure([build(items, { out: [], accept: true })]);
  return (path) => {
    let states = start;
    for (const char of path) {
      const next: State[] = [];
      for (const state of states) if (state.test?.(char)) next.push(...state.out);
      if (next.length === 0) return false;
      states = closure(next);
    }
    return [...states].some((state) => state.accept);
  };
}

/** A pattern without `/` matches the file name at any depth, as in .gitignore. */
export function compileGlobs(globs: readonly string[]): (relativePath: string) => boolean {
  const matchers = globs.map((glob) => {
    const pattern = glob.replace(/^\.\//, '');
    const parsed = parse(pattern);
    // The settings refuse such globs (globProblem) before anything is read.
    if ('problem' in parsed) throw new Error(`invalid glob ${JSON.stringify(glob)}: ${parsed.problem}`);
    return matcher(pattern.includes('/') ? parsed.items : [{ repeat: 'segments' }, ...parsed.items]);
  });
  return (relativePath) => matchers.some((matches) => matches(relativePath));
}
