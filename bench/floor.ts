// The floor row of `npm run bench`: the least any reader of these files must do. Reads every file given and parses it
// into documents with the `yaml` library, writing nothing; prints {"ms", "cpuMs", "objects"} as JSON: wall and CPU time
// measured inside this process around the reads and parses (node's start-up and loading `yaml` are not counted).
//
// Usage: node build/bench/floor.js FILE...
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const files = process.argv.slice(2);
const start = process.hrtime.bigint();
const startCpu = process.cpuUsage();
let objects = 0;
for (const file of files) {
  const parsed = parseAllDocuments(readFileSync(file, 'utf8'));
  // An empty stream has no documents to count; an error means the floor parsed something other than the tree.
  const documents = Array.isArray(parsed) ? parsed : [];
  const error = documents.flatMap((document) => document.errors)[0];
  if (error) {
    process.stderr.write(`${file}: ${error.message}\n`);
    process.exit(1);
  }
  objects += documents.length;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const { user, system } = process.cpuUsage(startCpu);
process.stdout.write(`${JSON.stringify({ ms, cpuMs: (user + system) / 1000, objects })}\n`);
