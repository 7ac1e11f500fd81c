// Globs for the `exclude` setting, matched against paths relative to the app directory with `/` separators:
// `*` and `?` stay within one path segment, `**` spans segments, `[...]` is a character class, `{a,b}` alternatives.
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

/** A `[...]` class, or undefined when its body is not a valid class (then `[` is an ordinary character). */
function characterClass(body: string): ((char: string) => boolean) | undefined {
  try {
    const pattern = new RegExp(`^[${body.replace(/^!/, '^').replace(/\\/g, '\\\\')}]$`);
    return (char) => pattern.test(char);
  } catch {
    return undefined;
  }
}

function parse(glob: string): Item[] {
  const root: Item[] = [];
  // Open `{` groups: the group's alternatives, the last of which is being filled.
  const groups: Item[][][] = [];
  const current = () => groups[groups.length - 1]?.at(-1) ?? root;
  const closeGroup = () => {
    const alternatives = groups.pop()!;
    current().push({ alternatives });
  };
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    const close = char === '[' ? glob.indexOf(']', i + 1) : -1;
    const classTest = close > 0 ? characterClass(glob.slice(i + 1, close)) : undefined;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      current().push({ repeat: slash ? 'segments' : 'any' });
      i += slash ? 2 : 1;
    } else if (char === '*') current().push({ repeat: 'segment' });
    else if (char === '?') current().push({ test: notSlash });
    else if (classTest) {
      current().push({ test: classTest });
      i = close;
    } else if (char === '{') groups.push([[]]);
    else if (char === '}' && groups.length > 0) closeGroup();
    else if (char === ',' && groups.length > 0) groups[groups.length - 1]!.push([]);
    else current().push({ test: (c) => c === char });
  }
  while (groups.length > 0) closeGroup();
  return root;
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

function matcher(glob: string): (path: string) => boolean {
  const start = closure([build(parse(glob), { out: [], accept: true })]);
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
    return matcher(pattern.includes('/') ? pattern : `**/${pattern}`);
  });
  return (relativePath) => matchers.some((matches) => matches(relativePath));
}
