// Reads one text file of the repository without trusting it: never opens what is not a regular file (a FIFO would
// block forever), never reads more than the size limit, and refuses bytes that are not UTF-8 (Kubernetes manifests
// are UTF-8; a lenient decode would render replacement characters into the cluster).
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { lineLocator } from '../manifests/line-index.js';

export type ReadResult = { text: string } | { problem: Diagnostic };

export interface ReadOptions {
  /** Bytes; larger files are refused without being read. */
  maxBytes: number;
  /** The diagnostic for a file over maxBytes, given its size. */
  tooLarge: (size: number) => Diagnostic;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REPLACEMENT = '\uFFFD';
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT);

/** `52428800` → `50.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, 'KiB'] : bytes < 1024 ** 3 ? [bytes / 1024 ** 2, 'MiB'] : [bytes / 1024 ** 3, 'GiB'];
  return `${value.toFixed(1)} ${unit}`;
}

/** Where the first byte sequence that is not UTF-8 starts, as an offset in the leniently decoded text. */
function firstInvalidOffset(bytes: Buffer, text: string): number {
  for (let index = text.indexOf(REPLACEMENT); index >= 0; index = text.indexOf(REPLACEMENT, index + 1)) {
    // Every replacement character before this one was a genuine U+FFFD (three bytes), so the byte offset is exact.
    const byteOffset = Buffer.byteLength(text.slice(0, index));
    if (!bytes.subarray(byteOffset, byteOffset + 3).equals(REPLACEMENT_BYTES)) return index;
  }
  return 0;
}

/** Bytes → text, without a UTF-8 byte order mark; a located error when they are not UTF-8. */
export function decodeText(bytes: Buffer, display: string): ReadResult {
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  const text = body.toString('utf8');
  if (isUtf8(body)) return { text };
  const location = lineLocator(display, text)(firstInvalidOffset(body, text));
  const utf16 = (body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff) ? ' (it looks like UTF-16)' : '';
  return {
    problem: diagnostic('not-utf8', `${display} is not UTF-8 text${utf16}`, location, 'save the file as UTF-8 (Kubernetes manifests are UTF-8), or exclude it'),
  };
}

/**
 * The caller has checked that `path` names a regular file. It is opened non-blocking and checked again through the
 * open descriptor, so that a file swapped for a FIFO in between cannot block the read.
 */
export function readTextFile(path: string, display: string, options: ReadOptions): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: unreadable(display, error) };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { problem: notAFile(display) };
    if (info.size > options.maxBytes) return { problem: options.tooLarge(info.size) };
    // One byte more than the limit: a file that grows while it is read is still caught.
    const buffer = Buffer.allocUnsafe(Math.min(info.size, options.maxBytes) + 1);
    let length = 0;
    for (let read = 1; read > 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > options.maxBytes) return { problem: options.tooLarge(length) };
    return decodeText(buffer.subarray(0, length), display);
  } catch (error) {
    return { problem: unreadable(display, error) };
  } finally {
    closeSync(fd);
  }
}

export function notAFile(display: string): Diagnostic {
  return diagnostic('not-a-file', `${display} is not a regular file (a FIFO, socket or device?)`, undefined, 'remove it or exclude it');
}

export function unreadable(display: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ELOOP' ? 'a symlink loop' : code === 'ENOENT' ? 'a broken symlink' : code === 'EACCES' ? 'permission denied' : `${code ?? String(error)}`;
  return diagnostic('unreadable', `cannot read ${display}: ${why}`, undefined, 'fix or remove it, or exclude it');
}
