// Which file of the app a Kustomize-rendered object was written in, as Kustomize itself records it. To find out, the
// app is built again through a wrapper kustomization that refers to it by relative path and sets `buildMetadata:
// [originAnnotations, transformerAnnotations]`: every object then carries the file Kustomize read it from
// (`config.kubernetes.io/origin`) and the kustomizations whose transformers ran over it
// (`alpha.config.kubernetes.io/transformations`), so that a field a patch sets can be located in the patch. The
// objects of the plain build are matched to the annotated ones by position. Both annotations are taken off the output.
// Files are read only to locate a diagnostic, only through the hardened reader, and only inside the repository: a
// path Kustomize reports outside it (an absolute or `../` resource, a link out) is never opened, and the object is
// then named instead.
import { statSync, type Stats } from 'node:fs';
import { dirname, posix, relative, resolve, sep } from 'node:path';
import { isRecord, metadataOf, nameOf, type KubeObject, type Manifest, type SourceFile, type Written, type WrittenSource } from '../manifests/manifest.js';
import { parseManifests, type ParsedManifest } from '../input/parse.js';
import { yamlLibrary } from '../manifests/yaml-library.js';
import { fileTooLarge } from '../input/load-directory.js';
import { readTextFile } from '../input/read-file.js';
import { isOutside, resolveEntry } from '../input/repository.js';
import type { Limits } from '../settings/limits.js';

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

const ORIGIN = 'config.kubernetes.io/origin';
const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';
/** The transformers that apply patch files; the kustomization that lists them names the files. */
const PATCH_TRANSFORMERS = new Set(['PatchTransformer', 'PatchStrategicMergeTransformer']);

/** The wrapper's kustomization.yaml: the app by its path relative to the wrapper's directory (JSON is YAML). */
export function wrapperKustomization(appFromWrapper: string): string {
  return `resources:\n  - ${JSON.stringify(appFromWrapper)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`;
}

/** What the annotations said, paths relative to the wrapper's directory. */
export interface BuildMetadata {
  /** The file the object was read from; none for a generated object or one from a remote base. */
  path?: string;
  /** Kustomization files whose patches ran over the object, in the order they ran. */
  patchedIn: string[];
}

/** A YAML value the annotations or a kustomization hold (no aliases), undefined when it does not parse. */
function yamlValue(text: string): unknown {
  try {
    return yamlLibrary().parse(text, { maxAliasCount: 0 });
  } catch {
    return undefined;
  }
}

function readBuildMetadata(annotations: Record<string, unknown>): BuildMetadata {
  const origin = typeof annotations[ORIGIN] === 'string' ? yamlValue(annotations[ORIGIN]) : undefined;
  const transformations = typeof annotations[TRANSFORMATIONS] === 'string' ? yamlValue(annotations[TRANSFORMATIONS]) : undefined;
  const patchedIn = (Array.isArray(transformations) ? transformations : []).flatMap((entry: unknown) =>
    isRecord(entry) && typeof entry.configuredIn === 'string' && isRecord(entry.configuredBy) && PATCH_TRANSFORMERS.has(entry.configuredBy.kind as string) ? [entry.configuredIn] : [],
  );
  // An object from a remote base carries its repository's path: no file of the app holds it.
  const path = isRecord(origin) && typeof origin.path === 'string' && origin.repo === undefined ? origin.path : undefined;
  return { ...(path ? { path } : {}), patchedIn: [...new Set(patchedIn)] };
}

const INDENT = (spaces: number) => ' '.repeat(spaces);
const RECORDED_LINE = new RegExp(`^    (${[ORIGIN, TRANSFORMATIONS].map((key) => key.replace(/[./]/g, '\\$&')).join('|')}): \\|-?$`);

/**
 * The document's text without the two annotations, cut out of the block Kustomize writes them in (`metadata:` at
 * the margin, `annotations:` two spaces in, each key four, its literal block six); undefined when the text is laid
 * out otherwise.
 */
function textWithout(text: string, count: number): string | undefined {
  const lines = text.split('\n');
  const metadata = lines.indexOf('metadata:');
  let annotations = metadata + 1;
  while (annotations < lines.length && lines[annotations]!.startsWith(INDENT(2)) && lines[annotations] !== '  annotations:') annotations++;
  if (metadata < 0 || lines[annotations] !== '  annotations:') return undefined;
  const kept: string[] = [];
  let removed = 0;
  let end = annotations + 1;
  while (end < lines.length && lines[end]!.startsWith(INDENT(4))) {
    if (RECORDED_LINE.test(lines[end]!)) {
      removed++;
      for (end++; end < lines.length && lines[end]!.startsWith(INDENT(6)); end++);
    } else kept.push(lines[end++]!);
  }
  if (removed !== count) return undefined;
  return [...lines.slice(0, kept.length > 0 ? annotations + 1 : annotations), ...kept, ...lines.slice(end)].join('\n');
}

function annotationsOf(object: KubeObject): Record<string, unknown> {
  const { annotations } = metadataOf(object);
  return isRecord(annotations) ? annotations : {};
}

/** The manifest as the app wrote it, without the annotations the wrapper (or the app's own buildMetadata) asked for. */
function takeBuildMetadata(manifest: ParsedManifest): ParsedManifest {
  const annotations = annotationsOf(manifest.object);
  const present = [ORIGIN, TRANSFORMATIONS].filter((key) => key in annotations);
  if (present.length === 0) return manifest;
  const { [ORIGIN]: _origin, [TRANSFORMATIONS]: _transformations, ...rest } = annotations;
  const { annotations: _annotations, ...otherMetadata } = metadataOf(manifest.object);
  const object: KubeObject = { ...manifest.object, metadata: Object.keys(rest).length > 0 ? { ...otherMetadata, annotations: rest } : otherMetadata };
  // Laid out otherwise, the object has no source text to keep: it is written anew.
  const { source: _source, ...rest2 } = manifest;
  const source = manifest.source === undefined ? undefined : textWithout(manifest.source, present.length);
  return { ...rest2, object, ...(source === undefined ? {} : { source }) };
}

export interface SourceFinderOptions {
  /** The wrapper's directory, which the recorded paths are relative to; real (symlinks resolved). */
  wrapper: string;
  /** The app directory, real: paths are shown relative to it, after displayPrefix. */
  appDirectory: string;
  displayPrefix: string;
  /** The repository, real: nothing outside it is opened. */
  root: string;
  limits: Limits;
}

/** A strategic-merge patch document, and the kind and name of what it patches (its target's, else its own). */
interface Patch {
  written: Written;
  kind: string;
  name: string | undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A lookup from a rendered object, with what Kustomize recorded about it, to the document it was written in and the
 * patches that may have set its fields. Files are read on the first lookup that needs them, and once.
 */
export function kustomizeSourceFinder(options: SourceFinderOptions): (rendered: KubeObject, recorded: BuildMetadata) => WrittenSource | undefined {
  const { wrapper, appDirectory, displayPrefix, root, limits } = options;
  const display = (absolute: string) => {
    const path = relative(appDirectory, absolute).split(sep).join('/');
    return displayPrefix ? posix.join(displayPrefix, path) : path;
  };
  const files = new Map<string, SourceFile | undefined>();
  /** A file of the repository as text; undefined for one outside it, or one the hardened reader refuses. */
  const readInside = (recordedPath: string): SourceFile | undefined => {
    const absolute = resolve(wrapper, recordedPath);
    if (files.has(absolute)) return files.get(absolute);
    let file: SourceFile | undefined;
    // Decided on the path alone first, so that nothing outside the repository is even looked at.
    if (!isOutside(root, absolute)) {
      const shown = display(absolute);
      const entry = resolveEntry(absolute, shown, root);
      const read = 'problem' in entry || entry.kind !== 'file' ? undefined : readTextFile(entry.real, shown, { maxBytes: limits.maxFileSize.value, tooLarge: (size) => fileTooLarge(shown, size, limits.maxFileSize) });
      file = read && 'text' in read ? { path: shown, text: read.text } : undefined;
    }
    files.set(absolute, file);
    return file;
  };
  const manifestsIn = (recordedPath: string): ParsedManifest[] => {
    const file = readInside(recordedPath);
    // Problems in these files were Kustomize's to report; this only looks for objects.
    return file ? parseManifests(file, { limits }).manifests : [];
  };
  const documents = new Map<string, WrittenDocuments>();
  const documentsIn = (recordedPath: string): WrittenDocuments => {
    let found = documents.get(recordedPath);
    if (!found) documents.set(recordedPath, (found = new WrittenDocuments(manifestsIn(recordedPath))));
    return found;
  };
  const patchCache = new Map<string, Patch[]>();
  const patchesOf = (kustomizationPath: string): Patch[] => {
    let patches = patchCache.get(kustomizationPath);
    if (!patches) {
      const file = readInside(kustomizationPath);
      const kustomization = file ? yamlValue(file.text) : undefined;
      const entries = isRecord(kustomization)
        ? [
            ...list(kustomization.patchesStrategicMerge).map((path) => ({ path, target: undefined })),
            ...list(kustomization.patches).filter(isRecord).map((entry) => ({ path: entry.path, target: isRecord(entry.target) ? entry.target : undefined })),
          ]
        : [];
      patches = entries.flatMap(({ path, target }) =>
        // Inline patches live inside the kustomization's strings: only patch files are located.
        typeof path !== 'string' || path.includes('\n')
          ? []
          : manifestsIn(resolve(wrapper, dirname(kustomizationPath), path)).map((written) => ({
              written,
              kind: text(target?.kind) || written.object.kind,
              name: text(target?.name) || nameOf(written.object),
            })),
      );
      patchCache.set(kustomizationPath, patches);
    }
    return patches;
  };
  return (rendered, recorded) => {
    const name = nameOf(rendered);
    if (!name || !recorded.path) return undefined;
    const source = documentsIn(recorded.path).find(rendered, name);
    const written = source && nameOf(source.object);
    if (!source || !written) return undefined;
    // A patch names the object as the kustomization it sits in sees it: the written name with some of the prefixes
    // and suffixes around it. The last applied comes first.
    const patches = [...recorded.patchedIn]
      .reverse()
      .flatMap(patchesOf)
      .filter((patch) => patch.kind === rendered.kind && (patch.name === undefined || (name.includes(patch.name) && patch.name.includes(written))))
      .map((patch) => patch.written);
    return { origin: source.origin, object: source.object, patches };
  };
}

/**
 * The documents of one file, for finding which one Kustomize read an object from: of its kind, the one of its name,
 * else the one whose name the rendered name holds (a namePrefix or nameSuffix added), else the only one of its kind;
 * a namespace that matches settles a tie. The cuts that turned a rendered name into a written one are remembered, so
 * the objects of a renamed file are found by lookup, not each by a scan of the file.
 */
class WrittenDocuments {
  private readonly byKind = new Map<string, ParsedManifest[]>();
  private readonly byName = new Map<string, ParsedManifest[]>();
  /** Characters cut from the start and the end of rendered names. */
  private readonly cuts: [number, number][] = [];

  constructor(manifests: readonly ParsedManifest[]) {
    for (const manifest of manifests) {
      const name = nameOf(manifest.object);
      if (!name) continue;
      add(this.byKind, manifest.object.kind, manifest);
      add(this.byName, JSON.stringify([manifest.object.kind, name]), manifest);
    }
  }

  find(rendered: KubeObject, name: string): ParsedManifest | undefined {
    const namespace = metadataOf(rendered).namespace;
    const pick = (candidates: readonly ParsedManifest[] | undefined) =>
      candidates && (candidates.find((manifest) => metadataOf(manifest.object).namespace === namespace) ?? candidates[0]);
    const named = (written: string) => pick(this.byName.get(JSON.stringify([rendered.kind, written])));
    const found = named(name) ?? this.cuts.map(([start, end]) => (start + end < name.length ? named(name.slice(start, name.length - end)) : undefined)).find(Boolean);
    if (found) return found;
    const sameKind = this.byKind.get(rendered.kind) ?? [];
    const contained = sameKind.filter((manifest) => name.includes(nameOf(manifest.object)!));
    const longest = contained.reduce((length, manifest) => Math.max(length, nameOf(manifest.object)!.length), 0);
    const best = pick(contained.filter((manifest) => nameOf(manifest.object)!.length === longest));
    if (best) {
      const written = nameOf(best.object)!;
      const start = name.indexOf(written);
      this.cuts.push([start, name.length - start - written.length]);
      return best;
    }
    return sameKind.length === 1 ? sameKind[0] : undefined;
  }
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

/** Where the object at each position of a render was written, asked on first use; undefined when no file tells. */
export type SourceByPosition = (index: number, rendered: KubeObject) => WrittenSource | undefined;

/**
 * The manifests of a render with any build metadata taken off (the wrapper's, or the app's own `buildMetadata`), each
 * asking `sourceOf` by its position where it was written.
 */
export function withSources(manifests: readonly ParsedManifest[], sourceOf: SourceByPosition, renameHint: string): Manifest[] {
  return manifests.map((parsed, index): Manifest => {
    const manifest = takeBuildMetadata(parsed);
    return { ...manifest, origin: { renderer: 'kustomize', object: manifest.object, source: () => sourceOf(index, manifest.object), renameHint } };
  });
}

const identity = (object: KubeObject) => JSON.stringify([object.apiVersion, object.kind, nameOf(object), metadataOf(object).namespace]);

/**
 * Sources from an annotated render of the same app, for the objects of a plain one: Kustomize writes both in the same
 * order, so the object at a position is looked up as the annotated render recorded it there, once its kind, name and
 * namespace agree.
 */
export function sourcesByPosition(annotated: readonly ParsedManifest[], find: (rendered: KubeObject, recorded: BuildMetadata) => WrittenSource | undefined): SourceByPosition {
  const found = new Map<number, WrittenSource | undefined>();
  return (index, rendered) => {
    if (!found.has(index)) {
      const recorded = annotated[index]?.object;
      found.set(index, recorded && identity(recorded) === identity(rendered) ? find(rendered, readBuildMetadata(annotationsOf(recorded))) : undefined);
    }
    return found.get(index);
  };
}
