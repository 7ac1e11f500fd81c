// Output as Argo CD reads it: the plugin's own model of Argo CD's reader, which test/conformance checks against the
// real thing. Tests read output with it, never with a YAML 1.2 library, so they see what reaches the cluster.
import assert from 'node:assert/strict';
import { readKubernetesStream, UNBOUNDED } from '../../src/manifests/kubernetes-yaml.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** A plugin's stdout as Argo CD reads it: the cmp-server trims one final line break first. */
export function readAsArgoCd(stdout: string): ReturnType<typeof readKubernetesStream> {
  return readKubernetesStream(stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout, UNBOUNDED);
}

/** The objects Argo CD applies from a plugin's stdout; fails on any problem. */
export function argoObjects(stdout: string): Obj[] {
  const reading = readAsArgoCd(stdout);
  assert.deepEqual(reading.problems, [], 'Argo CD reads the output');
  return reading.objects.map((object) => object.value as Obj);
}
