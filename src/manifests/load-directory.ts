// Reads an app directory: `.yaml`, `.yml` and `.json` files, recursively, sorted by path; hidden entries (the config
// file among them) and excluded paths are skipped.
import { readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { compileGlobs } from './glob.js';
import type { SourceFile } from './manifest.js';

export interface LoadedFile {
  file: SourceFile;
  json: boolean;
}

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

export interface LoadOptions {
  /** Directory on disk. */
  directory: string;
  /** How paths are shown in diagnostics: this prefix joined with the path relative to the directory. */
  displayPrefix: string;
  exclude: readonly string[];
}

// Synchronous on purpose: the reads are small and sequential, and it keeps fs/promises off the start-up path.
export function loadDirectory(options: LoadOptions): { files: LoadedFile[]; diagnostics: Diagnostic[] } {
  const excluded = compileGlobs(options.exclude);
  const files: LoadedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const visited = new Set<string>();
  const display = (relative: string) => (options.displayPrefix ? posix.join(options.displayPrefix, relative) : relative);

  const statOf = (path: string): Stats | undefined => statSync(path, { throwIfNoEntry: false });

  function walk(relative: string): void {
    const absolute = join(options.directory, relative);
    const real = realpathSync(absolute);
    if (visited.has(real)) return; // a symlink loop or a second link to the same directory
    visited.add(real);
    const entries = readdirSync(absolute).filter((name) => !name.startsWith('.')).sort();
    for (const name of entries) {
      const path = relative ? `${relative}/${name}` : name;
      if (excluded(path)) continue;
      const info = statOf(join(options.directory, path));
      if (!info) {
        diagnostics.push(diagnostic('unreadable', `cannot read ${display(path)} (a broken symlink?)`, undefined, 'remove the link or exclude it'));
      } else if (info.isDirectory()) {
        walk(path);
      } else if (MANIFEST_EXTENSIONS.test(name)) {
        if (!info.isFile()) {
          diagnostics.push(diagnostic('not-a-file', `${display(path)} is not a regular file`, undefined, 'remove it or exclude it'));
          continue;
        }
        const text = readFileSync(join(options.directory, path), 'utf8').replace(/^\uFEFF/, '');
        files.push({ file: { path: display(path), text }, json: /\.json$/i.test(name) });
      }
    }
  }

  const info = statOf(options.directory);
  if (!info?.isDirectory()) {
    return { files, diagnostics: [diagnostic('no-app-directory', `${options.directory} is not a directory`, undefined, 'pass the app directory, or - to read stdin')] };
  }
  walk('');
  return { files, diagnostics };
}
