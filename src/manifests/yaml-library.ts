// The yaml library, loaded on first use: commands that read no YAML (`version`, `--help`, `parameters` without a
// config file) do not pay for loading it.
import type * as Yaml from 'yaml';

export function yamlLibrary(): typeof Yaml {
  return require('yaml') as typeof Yaml;
}
