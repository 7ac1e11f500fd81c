// The limits that keep hostile or broken input from exhausting the sidecar: each is a setting (so an app that needs
// more can say so), and each error that one of them stops names the limit and how to raise it.
import { defaultSettings, environmentName, parameterName, quantityValue, type Settings } from './table.js';

export type LimitKey = 'maxFileSize' | 'maxTotalSize' | 'maxDocuments' | 'maxAliases' | 'maxExpandedSize' | 'maxDepth';

export interface Limit {
  key: LimitKey;
  value: number;
  /** As the user (or the default) wrote it, such as `16Mi`. */
  text: string;
}

export type Limits = Record<LimitKey, Limit>;

export function limitsOf(settings: Settings): Limits {
  const limit = (key: LimitKey): Limit => ({ key, value: quantityValue(settings[key]), text: settings[key] });
  return {
    maxFileSize: limit('maxFileSize'),
    maxTotalSize: limit('maxTotalSize'),
    maxDocuments: limit('maxDocuments'),
    maxAliases: limit('maxAliases'),
    maxExpandedSize: limit('maxExpandedSize'),
    maxDepth: limit('maxDepth'),
  };
}

/** For reading what the settings did not choose: the plugin's own files, and tests. */
export const defaultLimits: Limits = limitsOf(defaultSettings);

/** `(limit max-file-size: 16Mi)`, for the end of a message. */
export function limitNote(limit: Limit): string {
  return `(limit ${parameterName(limit.key)}: ${limit.text})`;
}

/** The hint of an error a limit stopped: what else to do, then every way to raise the limit. */
export function raiseLimitHint(limit: Limit, instead: string): string {
  const name = parameterName(limit.key);
  return (
    `${instead}; or, if the app really needs more, raise ${name}: the Application parameter ${name}, ` +
    `plugin env ${environmentName(limit.key)}, \`${limit.key}\` in .canary-mapping.yaml, or --${name}`
  );
}
