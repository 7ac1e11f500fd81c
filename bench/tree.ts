// Deterministic benchmark input: an app directory of N objects (Service, Mapping, Rollout, repeated)
// spread over several multi-document YAML files, plus a kustomization.yaml listing them, so that
// `canary-mapping generate DIR` and `kubectl kustomize DIR` read the same objects.
//
// Usage on its own (handy for profiling): node build/bench/tree.js DIR [OBJECTS]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Objects per YAML file: a multiple of 3, so every app's triple stays in one file. */
const OBJECTS_PER_FILE = 300;

export interface Tree {
  dir: string;
  objects: number;
  files: string[];
}

// Half the Mappings point at an https upstream and half at plain http, so the plugin has both cases to handle.
function upstream(i: number): { scheme: string; port: number; targetPort: number } {
  return i % 2 === 0 ? { scheme: 'https', port: 443, targetPort: 8443 } : { scheme: 'http', port: 8080, targetPort: 8080 };
}

function service(i: number): string {
  const { port, targetPort } = upstream(i);
  return `apiVersion: v1
kind: Service
metadata:
  name: svc${i}
  namespace: shop
spec:
  ports:
    - port: ${port}
      targetPort: ${targetPort}
  selector:
    app: svc${i}
`;
}

function mapping(i: number): string {
  const { scheme, port } = upstream(i);
  return `apiVersion: getambassador.io/v2
kind: Mapping
metadata:
  name: svc${i}
  namespace: shop
spec:
  prefix: /svc${i}/
  service: "${scheme}://svc${i}:${port}"
  timeout_ms: 3000
`;
}

function rollout(i: number): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: svc${i}
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: svc${i}
  template:
    metadata:
      labels:
        app: svc${i}
    spec:
      containers:
        - name: app
          image: "example/app:1.0"
  strategy:
    canary:
      stableService: svc${i}
      canaryService: svc${i}-canary
      trafficRouting:
        ambassador:
          mappings:
            - svc${i}
      steps:
        - setWeight: 20
        - pause: {}
`;
}

const KINDS = [service, mapping, rollout];

/** The k-th object of the tree (k = 0, 1, 2, ...): object k belongs to app floor(k / 3). */
function object(k: number): string {
  return KINDS[k % 3]!(Math.floor(k / 3));
}

/**
 * Writes exactly `objects` objects into `dir` (created if missing). When `objects` is not a multiple
 * of 3 the last app is cut short (e.g. 2,000 = 667 Services, 667 Mappings, 666 Rollouts).
 */
export function writeTree(dir: string, objects: number): Tree {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let start = 0; start < objects; start += OBJECTS_PER_FILE) {
    const end = Math.min(start + OBJECTS_PER_FILE, objects);
    const docs: string[] = [];
    for (let k = start; k < end; k++) docs.push(object(k));
    const file = `apps-${String(files.length).padStart(3, '0')}.yaml`;
    writeFileSync(join(dir, file), docs.join('---\n'));
    files.push(file);
  }
  const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${files.map((f) => `  - ${f}\n`).join('')}`;
  writeFileSync(join(dir, 'kustomization.yaml'), kustomization);
  return { dir, objects, files };
}

if (require.main === module) {
  const [dir, count = '2000'] = process.argv.slice(2);
  if (!dir || !Number.isInteger(Number(count)) || Number(count) < 1) {
    process.stderr.write('usage: node build/bench/tree.js DIR [OBJECTS]\n');
    process.exit(2);
  }
  const tree = writeTree(dir, Number(count));
  process.stdout.write(`wrote ${tree.objects} objects in ${tree.files.length} files to ${tree.dir}\n`);
}
