// The yaml library is half of the bundle, and only needed off the common path: exact positions for diagnostics, the
// exact reader, the config file. It is loaded on first use, which keeps it out of every render's start-up time.
import type * as Yaml from 'yaml';

export function yamlLibrary(): typeof Yaml {
  return require('yaml') as typeof Yaml;
}
