// Reads an app directory: `.yaml`, `.yml` and `.json` files, recursively, sorted by path; hidden entries (the config
// file among them) and excluded paths are skipped. Symlinks are followed within the repository only (repository.ts),
// and every file goes through readTextFile's checks.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, posix } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { limitNote, raiseLimitHint, type Limit } from '../settings/limits.js';
import { compileGlobs } from '../manifests/glob.js';
import type { SourceFile } from '../manifests/manifest.js';
import { formatBytes, notAFile, readTextFile, unreadable } from './read-file.js';
import { resolveEntry, type EntryKind } from './repository.js';

export interface LoadedFile {
  file: SourceFile;
}

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

export interface LoadOptions {
  /** Directory on disk. */
  directory: string;
  /** How paths are shown in diagnostics: this prefix joined with the path relative to the directory. */
  displayPrefix: string;
  exclude: readonly string[];
  /** No symlink may lead out of this directory (see repository.ts). */
  root: string;
  maxFileSize: Limit;
  /** What all files together may hold. */
  maxTotalSize: Limit;
}

/** The file-too-large diagnostic, shared with the config file. */
export function fileTooLarge(display: string, size: number | undefined, limit: Limit): Diagnostic {
  const what = size === undefined ? 'is larger than' : `is ${formatBytes(size)}, larger than`;
  return diagnostic('file-too-large', `${display} ${what} ${formatBytes(limit.value)} ${limitNote(limit)}`, undefined, raiseLimitHint(limit, 'split the file or exclude it'));
}

/** The app's files together are over max-total-size; `display` is the file that went over. */
export function appTooLarge(display: string, limit: Limit): Diagnostic {
  return diagnostic(
    'app-too-large',
    `the app's manifests hold more than ${formatBytes(limit.value)} together; ${display} is past the limit ${limitNote(limit)}`,
    undefined,
    raiseLimitHint(limit, 'split the app into several Applications, or exclude files that are not manifests'),
  );
}

function kindOf(entry: Dirent): EntryKind {
  return entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other';
}

// Synchronous on purpose: the reads are small and sequential, and it keeps fs/promises off the start-up path.
export function loadDirectory(options: LoadOptions): { files: LoadedFile[]; diagnostics: Diagnostic[] } {
  const excluded = compileGlobs(options.exclude);
  const files: LoadedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const visited = new Set<string>();
  let totalBytes = 0;
  let full = false; // over max-total-size: nothing more is read
  const display = (relative: string) => (options.displayPrefix ? posix.join(options.displayPrefix, relative) : relative || '.');

  function walk(relative: string, real: string): void {
    if (visited.has(real)) return; // a second link to the same directory, or a link to a directory above
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(join(options.directory, relative), { withFileTypes: true });
    } catch (error) {
      diagnostics.push(unreadable(display(relative), error));
      return;
    }
    const names = entries.filter((entry) => !entry.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      if (full) return;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (excluded(path)) continue;
      const absolute = join(options.directory, path);
      let kind = kindOf(entry);
      let target = join(real, entry.name);
      if (entry.isSymbolicLink()) {
        const resolved = resolveEntry(absolute, display(path), options.root);
        if ('problem' in resolved) {
          diagnostics.push(resolved.problem);
          continue;
        }
        ({ kind, real: target } = resolved);
      }
      if (kind === 'directory') walk(path, target);
      else if (!MANIFEST_EXTENSIONS.test(entry.name)) continue;
      else if (kind !== 'file') diagnostics.push(notAFile(display(path)));
      else {
        // The checked real path, not `absolute`: a link swapped in after the check is not followed again.
        const read = readTextFile(target, display(path), {
          maxBytes: options.maxFileSize.value,
          tooLarge: (size) => fileTooLarge(display(path), size, options.maxFileSize),
        });
        if ('problem' in read) {
          diagnostics.push(read.problem);
          continue;
        }
        totalBytes += Buffer.byteLength(read.text);
        if (totalBytes > options.maxTotalSize.value) {
          diagnostics.push(appTooLarge(display(path), options.maxTotalSize));
          full = true;
          return;
        }
        files.push({ file: { path: display(path), text: read.text } });
      }
    }
  }

  const info = statSync(options.directory, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    return { files, diagnostics: [diagnostic('no-app-directory', `${options.directory} is not a directory`, undefined, 'pass the app directory, or - to read stdin')] };
  }
  walk('', realpathSync(options.directory));
  return { files, diagnostics };
}
