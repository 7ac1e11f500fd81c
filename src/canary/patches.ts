// RFC 6902 patches on the canary Mapping object, applied with fast-json-patch. Fields that decide which object the
// canary is, and the weight the controller owns, are refused; so is any path through a prototype.
import { applyPatch, type Operation } from 'fast-json-patch';
import type { PatchOperation } from '../settings/mapping-config.js';

const PROTECTED = [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'namespace'], ['spec', 'weight']];
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface PatchProblem {
  index: number;
  message: string;
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Whether changing `pointer` changes a protected field: the field itself, or a map that holds it. */
function touchesProtected(pointer: string): string | undefined {
  const path = segments(pointer);
  const hit = PROTECTED.find((field) => path.length <= field.length && path.every((segment, i) => segment === field[i]));
  return hit && `/${hit.join('/')}`;
}

/** Problems that need no document to find: protected fields, prototype keys, malformed pointers. */
export function checkPatches(operations: readonly PatchOperation[]): PatchProblem[] {
  return operations.flatMap((operation, index): PatchProblem[] => {
    const pointers = [operation.path, ...(operation.from !== undefined ? [operation.from] : [])];
    const malformed = pointers.find((pointer) => pointer !== '' && !pointer.startsWith('/'));
    if (malformed !== undefined) return [{ index, message: `\`${malformed}\` is not a JSON pointer: it must start with /` }];
    const prototype = pointers.flatMap(segments).find((segment) => PROTOTYPE_KEYS.has(segment));
    if (prototype) return [{ index, message: `the path goes through \`${prototype}\`, which could change object prototypes` }];
    if ((operation.op === 'add' || operation.op === 'replace' || operation.op === 'test') && !('value' in operation)) {
      return [{ index, message: `${operation.op} needs a value` }];
    }
    if (operation.op === 'test') return [];
    // `move` removes its `from`; every other operation writes only its `path`.
    const written = operation.op === 'move' ? pointers : [operation.path];
    const field = written.map(touchesProtected).find(Boolean);
    if (field) return [{ index, message: `${operation.op} ${written.join(' → ')} changes ${field}, which the plugin and the controller own` }];
    if ((operation.op === 'move' || operation.op === 'copy') && operation.from === undefined) return [{ index, message: `${operation.op} needs from` }];
    return [];
  });
}

/** The patched copy, or the first operation that does not apply to this object (a missing path, a failed test). */
export function applyPatches<T>(object: T, operations: readonly PatchOperation[]): { ok: true; object: T } | { ok: false; problem: PatchProblem } {
  let document = structuredClone(object);
  // One operation at a time: fast-json-patch does not report which operation of a patch failed validation.
  for (const [index, operation] of operations.entries()) {
    try {
      document = applyPatch(document, [operation as Operation], true, true, true).newDocument;
    } catch (error) {
      return { ok: false, problem: { index, message: (error as Error).message.split('\n')[0]! } };
    }
  }
  return { ok: true, object: document };
}
