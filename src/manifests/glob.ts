// Globs for the `exclude` setting, matched against paths relative to the app directory with `/` separators:
// `*` and `?` stay within one path segment, `**` spans segments, `[...]` is a character class, `{a,b}` alternatives.

function escape(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else if (char === '{') {
      braces++;
      source += '(?:';
    } else if (char === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (char === ',' && braces > 0) source += '|';
    else source += escape(char);
  }
  return new RegExp(`^${source}${')'.repeat(braces)}$`);
}

/** A pattern without `/` matches the file name at any depth, as in .gitignore. */
export function compileGlobs(globs: readonly string[]): (relativePath: string) => boolean {
  const matchers = globs.map((glob) => {
    const pattern = glob.replace(/^\.\//, '');
    return pattern.includes('/') ? globToRegExp(pattern) : globToRegExp(`**/${pattern}`);
  });
  return (relativePath) => matchers.some((matcher) => matcher.test(relativePath));
}
