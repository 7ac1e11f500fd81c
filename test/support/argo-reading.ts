// Output as Argo CD reads it: the plugin's own model of Argo CD's reader, which test/conformance checks against the
// real thing. Tests read output with it, never with a YAML 1.2 library, so they see what reaches the cluster.
import assert from 'node:assert/strict';
import { readKubernetesStream } from '../../src/manifests/kubernetes-yaml.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

const UNLIMITED = { maxDepth: 20000, maxAliases: Infinity, maxExpandedSize: Infinity };

/** The objects Argo CD applies from a plugin's stdout (it trims one final line break first); fails on any problem. */
export function argoObjects(stdout: string): Obj[] {
  const reading = readKubernetesStream(stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout, UNLIMITED);
  assert.deepEqual(reading.problems, [], 'Argo CD reads the output');
  return reading.objects.map((object) => object.value as Obj);
}
