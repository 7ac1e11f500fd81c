// The app's config file, `.canary-mapping.yaml`: one YAML map whose keys are the keys of the settings table. Every
// problem becomes a diagnostic at the offending key or value, so the file can be fixed in one pass.
import type { Node } from 'yaml';
import * as z from 'zod/mini';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostics.js';
import { parseSyntax } from '../manifests/kubernetes-yaml.js';
import { lineLocator } from '../manifests/line-index.js';
import { yamlLibrary } from '../manifests/yaml-library.js';
import { mappingConfigSchema, mappingNameSchema, type LocatedMappingConfig } from './mapping-config.js';
import { applicationSettingsSchema, settingKeys, type Settings } from './table.js';
import { invalidValue, keyPath, settingHint, unknownNameHint, validate, type Issue } from './validation.js';

/** Every setting optional (absent: a lower source decides), plus the per-Mapping entries. */
/** Built on first use: most apps have no config file, and every render pays for what is built at start-up. */
function configFileSchema() {
  return z.extend(z.partial(applicationSettingsSchema()), {
    mappings: z.optional(z.record(mappingNameSchema, mappingConfigSchema)),
  });
}

export interface ConfigFile {
  values: Partial<Settings>;
  /** Keyed by base Mapping name. */
  mappings: Record<string, LocatedMappingConfig>;
  diagnostics: Diagnostic[];
}

const MAPPING_KEYS = ['canaryService', 'patches', 'preview'];
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Far more than any setting or patch value needs, far less than what the YAML library's recursion survives. */
const CONFIG_MAX_DEPTH = 64;

/** The node at `path`, or the deepest one that exists on the way (an alias is not followed). */
function nodeAt(root: Node, path: readonly PropertyKey[]): Node {
  const { isCollection, isNode } = yamlLibrary();
  let node = root;
  for (const segment of path) {
    const next: unknown = isCollection(node) ? node.get(segment, true) : undefined;
    if (!isNode(next)) break;
    node = next;
  }
  return node;
}

/** `rolloutsVersion: 1.10` is the number 1.1 to YAML: say so, since the message alone shows `1.1`. */
function quoteHint(node: Node, issue: Issue): string | undefined {
  if (issue.code !== 'invalid_type' || issue.expected !== 'string' || !yamlLibrary().isScalar(node)) return undefined;
  if (typeof node.value !== 'number' && typeof node.value !== 'boolean') return undefined;
  return `YAML reads ${node.source} as a ${typeof node.value}; quote it: "${node.source}"`;
}

export function parseConfigFile(path: string, text: string): ConfigFile {
  const { isMap, isNode, isScalar, parseAllDocuments } = yamlLibrary();
  const at = lineLocator(path, text);
  const nothing = { values: {}, mappings: {} };
  // The YAML library recurses once per level of nesting: a pathological file is stopped before it does.
  const tooDeep = parseSyntax(text, CONFIG_MAX_DEPTH).tooDeep;
  if (tooDeep !== undefined) {
    const message = `YAML: maps and lists nested deeper than ${CONFIG_MAX_DEPTH} levels`;
    return { ...nothing, diagnostics: [diagnostic('config-syntax', message, at(tooDeep), 'settings nest a few levels at most: check the brackets and the indentation')] };
  }
  const documents = parseAllDocuments(text, { prettyErrors: false });
  const diagnostics = documents.flatMap((document) =>
    document.errors.map((error) => diagnostic('config-syntax', `YAML: ${error.message}`, at(error.pos[0]))),
  );
  const [document, second] = documents;
  if (second) {
    diagnostics.push(
      diagnostic('config-multiple-documents', 'a second YAML document; expected exactly one map of settings', at(second.range[0]), `put every setting in one map and remove the \`---\` line`),
    );
  }
  if (!document || diagnostics.length > 0) return { ...nothing, diagnostics };

  const root = document.contents;
  const start = at(root?.range[0] ?? 0);
  // A key such as __proto__ would vanish or change prototypes in the parsed object: refuse it where it is written.
  const { visit } = yamlLibrary();
  visit(document, {
    Pair: (_, pair) => {
      if (isScalar(pair.key) && PROTOTYPE_KEYS.has(String(pair.key.value))) {
        const message = `key ${String(pair.key.value)} is not allowed: it names an object prototype`;
        diagnostics.push(diagnostic('config-key-forbidden', message, at(pair.key.range?.[0] ?? 0), 'remove the key'));
      }
    },
  });
  if (diagnostics.length > 0) return { ...nothing, diagnostics };
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // yaml throws for an unresolved alias or too many alias expansions (billion laughs).
    return { ...nothing, diagnostics: [diagnostic('config-syntax', `YAML: ${(error as Error).message}`, start)] };
  }
  // A file with only comments, `---` or `~` sets nothing.
  if (value === null) return { ...nothing, diagnostics };
  if (!isMap(root)) {
    const message = `the document is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}; expected a map of settings`;
    return { ...nothing, diagnostics: [diagnostic('config-not-a-map', message, start, 'write one key per setting, for example `rolloutsVersion: "1.6"`')] };
  }

  const { data, issues } = validate(configFileSchema(), value);
  const problems = issues.flatMap((issue): [number, Diagnostic][] => {
    const node = nodeAt(root, issue.path);
    const nodeOffset = node.range?.[0] ?? 0;
    if (issue.code !== 'unrecognized_keys') {
      return [[nodeOffset, invalidValue(keyPath(issue.path), issue, quoteHint(node, issue) ?? settingHint(issue.path[0]), at(nodeOffset))]];
    }
    return issue.keys.map((key) => {
      const keyNode = isMap(node) ? node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key)?.key : undefined;
      const offset = (isNode(keyNode) ? keyNode.range?.[0] : undefined) ?? nodeOffset;
      const inMapping = issue.path[0] === 'mappings';
      const message = `${keyPath([...issue.path, key])}: unknown key; expected ${inMapping ? `one of ${MAPPING_KEYS.join(', ')}` : 'a setting'}`;
      return [offset, diagnostic('unknown-setting', message, at(offset), unknownNameHint(key, inMapping ? MAPPING_KEYS : [...settingKeys, 'mappings']))];
    });
  });
  // Zod reports in schema order; the user reads the file top to bottom.
  problems.sort(([a], [b]) => a - b);
  const { mappings = {}, ...values } = (data ?? {}) as z.infer<ReturnType<typeof configFileSchema>>;
  const located = Object.fromEntries(
    Object.entries(mappings).map(([name, config]): [string, LocatedMappingConfig] => {
      const entryPath = `mappings.${name}`;
      const fieldAt = (field: string) => at(nodeAt(root, ['mappings', name, ...field.split(/[.[\]]+/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s))]).range?.[0] ?? 0);
      return [name, { config, at: fieldAt, keyPath: entryPath }];
    }),
  );
  return { values: values as Partial<Settings>, mappings: located, diagnostics: problems.map(([, problem]) => problem) };
}
