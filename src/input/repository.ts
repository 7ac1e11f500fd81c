// The repository boundary: a symlink in the app may point anywhere in the repository, but never out of it (at the
// sidecar's own files, another app's checkout, /dev/zero). Inside Argo CD the working directory is
// `<unpacked repository>/<ARGOCD_APP_SOURCE_PATH>` (cleaned), so the root is that many levels up; elsewhere it is the
// enclosing Git work tree, or the app directory itself when there is none.
import { existsSync, lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { notAFile, readTextFile, unreadable, type ReadOptions, type ReadResult } from './read-file.js';

export function repositoryRoot(appDirectory: string, sourcePath: string | undefined): string {
  // A missing app directory is reported by the loader; any root will do until then.
  const app = existsSync(appDirectory) ? realpathSync(appDirectory) : resolve(appDirectory);
  if (sourcePath !== undefined) return rootAbove(app, sourcePath) ?? app;
  for (let dir = app; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dir === dirname(dir)) return app;
  }
}

/**
 * The directory that `app` is `sourcePath` below, when it really is. Argo CD passes the Application's path as written
 * (`apps/web/../web`) while the working directory is the cleaned path, so the path is cleaned first; one that leaves
 * the repository, is absolute, or does not name the app directory proves nothing, and the caller then keeps to the
 * app directory: a narrower root only refuses links, a wider one would let them read the sidecar's files.
 */
function rootAbove(app: string, sourcePath: string): string | undefined {
  if (posix.isAbsolute(sourcePath)) return undefined;
  const segments = posix.normalize(sourcePath).split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments[0] === '..') return undefined;
  const appSegments = app.split(sep);
  if (segments.length >= appSegments.length) return undefined;
  const tail = appSegments.slice(appSegments.length - segments.length);
  if (segments.some((segment, index) => segment !== tail[index])) return undefined;
  return resolve(app, ...Array<string>(segments.length).fill('..'));
}

export type EntryKind = 'file' | 'directory' | 'other';

/** Whether `path` (absolute) lies outside `root`, by its name alone. */
export function isOutside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot);
}

/** What `path` is once symlinks are followed, or why it may not be read. */
export function resolveEntry(path: string, display: string, root: string): { kind: EntryKind; real: string } | { problem: Diagnostic } {
  let real: string;
  let info: Stats;
  try {
    real = realpathSync(path);
    info = statSync(real);
  } catch (error) {
    return { problem: unreadable(display, error) };
  }
  if (isOutside(root, real)) {
    return {
      problem: diagnostic(
        'outside-repository',
        `${display} is a symlink that leads out of the repository`,
        undefined,
        'point the link at a file inside the repository, or copy the file in',
      ),
    };
  }
  return { kind: info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other', real };
}

/** A file the app may have, such as its config file: undefined when absent, else its text or why it cannot be read. */
export function readOptionalFile(path: string, display: string, root: string, options: ReadOptions): ReadResult | undefined {
  try {
    if (!lstatSync(path, { throwIfNoEntry: false })) return undefined;
  } catch (error) {
    // ENOTDIR: the "app directory" is a file, which the loader reports; any other error is this file's.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    return { problem: unreadable(display, error) };
  }
  const entry = resolveEntry(path, display, root);
  if ('problem' in entry) return entry;
  // The checked real path: a link swapped in after the check is not followed again.
  return entry.kind === 'file' ? readTextFile(entry.real, display, options) : { problem: notAFile(display) };
}
