// The Argo CD reading facts of test/conformance/kubernetes-yaml.jsonl (see the README there).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

export type Result = { objects: unknown[] } | { error: string; stage: string };
export interface Line {
  id: string;
  category: string;
  description: string;
  input: string;
  argocd: Result | { nondeterministic: true; observed: Result[] };
}

export const conformanceLines: Line[] = readFileSync(join(repoRoot, 'test', 'conformance', 'kubernetes-yaml.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as Line);

