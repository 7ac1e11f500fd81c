// YAML or JSON text → Kubernetes objects with their origin. Pure: no file system access.
import { Document, isMap, isSeq, LineCounter, parseAllDocuments, visit, type Node } from 'yaml';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { positionIn } from './locate.js';
import { isRecord, type KubeObject, type Manifest, type SourceFile } from './manifest.js';

export interface ParseResult {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

/** Anchors are allowed, but an alias bomb is refused long before it exhausts memory. */
const MAX_ALIAS_COUNT = 100;

const NOT_AN_OBJECT_HINT =
  'every document must be a Kubernetes object with apiVersion and kind; leave other files out with the `exclude` setting';

function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.apiVersion === 'string' && value.apiVersion !== '' && typeof value.kind === 'string' && value.kind !== '';
}

function describeMissing(value: Record<string, unknown>): string {
  const missing = ['apiVersion', 'kind'].filter((key) => typeof value[key] !== 'string' || value[key] === '');
  return `document is not a Kubernetes object: it has no ${missing.join(' and no ')}`;
}

/** JSON input is written out as block YAML like everything else. */
function toBlockStyle(document: Document): void {
  visit(document, {
    Collection: (_, node) => {
      node.flow = false;
    },
    Scalar: (_, node) => {
      node.type = undefined;
    },
  });
}

function renderNode(node: Node | null, json: boolean, commentSource?: Document): string {
  const document = new Document();
  document.contents = node;
  if (commentSource) {
    document.commentBefore = commentSource.commentBefore;
    document.comment = commentSource.comment;
  }
  if (json) toBlockStyle(document);
  return document.toString({ lineWidth: 0 });
}

export function parseManifests(file: SourceFile, options: { json: boolean }): ParseResult {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(file.text, { lineCounter, uniqueKeys: true });
  const manifests: Manifest[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number) => positionIn(file, lineCounter, offset);
  const syntaxHint = options.json ? 'fix the JSON syntax' : 'fix the YAML syntax';

  for (const [index, document] of (Array.isArray(documents) ? documents : [documents]).entries()) {
    if (document.errors.length > 0) {
      for (const error of document.errors) {
        // The library appends its own position; ours comes first, in the common file:line:column form.
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        diagnostics.push(diagnostic('syntax', message, at(error.pos[0]), syntaxHint));
      }
      continue;
    }
    const start = at(document.contents?.range?.[0] ?? document.range[0]);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      diagnostics.push(
        diagnostic('yaml-aliases', `document expands too many aliases (${(error as Error).message})`, start, 'write the values out instead of using aliases'),
      );
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document, e.g. after a trailing `---`
    if (!isRecord(value)) {
      const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      diagnostics.push(diagnostic('not-an-object', `document is ${what}, not a Kubernetes object`, start, NOT_AN_OBJECT_HINT));
      continue;
    }
    if (!isKubeObject(value)) {
      diagnostics.push(diagnostic('not-an-object', describeMissing(value), start, NOT_AN_OBJECT_HINT));
      continue;
    }
    const origin = { file, document: index, line: start.line, column: start.column };
    if (value.kind.endsWith('List') && Array.isArray(value.items)) {
      const itemsNode = document.get('items', true);
      const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
      value.items.forEach((item, itemIndex) => {
        const node = itemNodes[itemIndex] as Node | undefined;
        const itemStart = node?.range ? at(node.range[0]) : start;
        if (!isKubeObject(item)) {
          const message = isRecord(item) ? describeMissing(item) : 'list item is not a Kubernetes object';
          diagnostics.push(diagnostic('not-an-object', message.replace('document', `item ${itemIndex} of ${value.kind}`), itemStart, NOT_AN_OBJECT_HINT));
          return;
        }
        const text = renderNode(isMap(node) ? node : (new Document(item).contents as Node), options.json);
        manifests.push({ object: item, origin: { ...origin, line: itemStart.line, column: itemStart.column, item: itemIndex }, text });
      });
      continue;
    }
    manifests.push({ object: value, origin, text: renderNode(document.contents as Node, options.json, document) });
  }
  return { manifests, diagnostics };
}
