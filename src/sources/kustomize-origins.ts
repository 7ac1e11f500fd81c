// Which file of the app a Kustomize-rendered object was written in. Kustomize's output says nothing about that, so
// the kustomization is walked (resources, bases and components, recursively) and every object written in a listed
// file is indexed under the identity Kustomize gives it: its kind, its name with the namePrefix and nameSuffix of
// every kustomization on the way, and the namespace the outermost `namespace:` sets (or its own). An object found
// under no identity (made by a generator, renamed by a transformer this does not model, fetched from a remote base)
// has no source; diagnostics then name it instead. Strategic-merge patch files are collected too, so that a field a
// patch sets is located in the patch.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import { isRecord, metadataOf, nameOf, type KubeObject, type Written, type WrittenSource } from '../manifests/manifest.js';
import { yamlLibrary } from '../manifests/yaml-library.js';
import { parseManifests, type ParsedManifest } from '../manifests/parse.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** Undefined for a path that leads nowhere (missing, or through a file). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The kustomization file Kustomize would read in `directory`, if any. */
export function kustomizationIn(directory: string): string | undefined {
  return KUSTOMIZATION_FILES.find((name) => statOf(resolve(directory, name))?.isFile());
}

interface Naming {
  prefix: string;
  suffix: string;
  /** Set by the outermost kustomization that sets one: Kustomize applies the outer transformers last. */
  namespace?: string;
}

/** Remote resources (`https://…`, `git@…`, `github.com/…`) are fetched by Kustomize; no file of the app holds them. */
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i;

function identity(kind: string, name: string, namespace: string): string {
  return JSON.stringify([kind, name, namespace]);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A strategic-merge patch document, and the kind and name of what it patches (its target's, else its own). */
interface Patch {
  written: Written;
  kind: string;
  name: string | undefined;
}

interface Index {
  objects: Map<string, Written>;
  /** Outermost kustomization first: its patches are applied last, so they have the last word. */
  patches: Patch[];
}

function buildIndex(appDirectory: string, display: (absolute: string) => string): Index {
  const index: Index = { objects: new Map(), patches: [] };
  const parsed = new Map<string, ParsedManifest[]>();

  const manifestsIn = (path: string): ParsedManifest[] => {
    let manifests = parsed.get(path);
    if (!manifests) {
      const info = statOf(path);
      // Problems in these files were Kustomize's to report; this only looks for objects.
      const file = info?.isFile() ? { path: display(path), text: readFileSync(path, 'utf8').replace(/^\uFEFF/, '') } : undefined;
      manifests = file ? parseManifests(file).manifests : [];
      parsed.set(path, manifests);
    }
    return manifests;
  };

  const register = (manifest: ParsedManifest, naming: Naming) => {
    const name = nameOf(manifest.object);
    if (!name) return;
    const own = text(metadataOf(manifest.object).namespace);
    // Its own namespace too: Kustomize leaves cluster-scoped objects without one.
    for (const namespace of new Set([naming.namespace ?? own, own])) {
      const key = identity(manifest.object.kind, naming.prefix + name + naming.suffix, namespace);
      if (!index.objects.has(key)) index.objects.set(key, manifest);
    }
  };

  const addPatches = (directory: string, kustomization: Record<string, unknown>) => {
    const entries = [
      ...list(kustomization.patchesStrategicMerge).map((path) => ({ path, target: undefined })),
      ...list(kustomization.patches).filter(isRecord).map((entry) => ({ path: entry.path, target: isRecord(entry.target) ? entry.target : undefined })),
    ];
    for (const { path, target } of entries) {
      // Inline patches live inside the kustomization's strings: only patch files are located.
      if (typeof path !== 'string' || path.includes('\n')) continue;
      for (const written of manifestsIn(resolve(directory, path))) {
        const name = text(target?.name) || nameOf(written.object);
        index.patches.push({ written, kind: text(target?.kind) || written.object.kind, name });
      }
    }
  };

  const visit = (directory: string, outer: Naming, path: readonly string[]) => {
    const file = kustomizationIn(directory);
    if (!file || path.includes(directory)) return; // Kustomize refuses cycles itself
    let kustomization: unknown;
    try {
      kustomization = yamlLibrary().parse(readFileSync(resolve(directory, file), 'utf8'));
    } catch {
      return;
    }
    if (!isRecord(kustomization)) return;
    const naming: Naming = {
      prefix: outer.prefix + text(kustomization.namePrefix),
      suffix: text(kustomization.nameSuffix) + outer.suffix,
      namespace: outer.namespace ?? (text(kustomization.namespace) || undefined),
    };
    addPatches(directory, kustomization);
    for (const entry of [kustomization.resources, kustomization.bases, kustomization.components].flatMap(list)) {
      if (typeof entry !== 'string' || REMOTE.test(entry)) continue;
      const target = resolve(directory, entry);
      if (statOf(target)?.isDirectory()) visit(target, naming, [...path, directory]);
      else for (const manifest of manifestsIn(target)) register(manifest, naming);
    }
  };

  visit(appDirectory, { prefix: '', suffix: '' }, []);
  return index;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A lookup from a rendered object to the document it was written in. The kustomization is walked on the first
 * lookup, so a render without diagnostics never reads the source files a second time.
 */
export function kustomizeSourceFinder(appDirectory: string, displayPrefix: string): (rendered: KubeObject) => WrittenSource | undefined {
  const display = (absolute: string) => {
    const path = relative(appDirectory, absolute).split(sep).join('/');
    return displayPrefix ? posix.join(displayPrefix, path) : path;
  };
  let index: Index | undefined;
  return (rendered) => {
    const name = nameOf(rendered);
    if (!name) return undefined;
    index ??= buildIndex(appDirectory, display);
    const source = index.objects.get(identity(rendered.kind, name, text(metadataOf(rendered).namespace)));
    const written = source && nameOf(source.object);
    if (!source || !written) return undefined;
    // A patch names the object as the kustomization it sits in sees it: the written name with some of the prefixes
    // and suffixes around it.
    const patches = index.patches
      .filter((patch) => patch.kind === rendered.kind && (patch.name === undefined || (name.includes(patch.name) && patch.name.includes(written))))
      .map((patch) => patch.written);
    return { origin: source.origin, object: source.object, patches };
  };
}
