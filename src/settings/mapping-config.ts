// The `mappings:` section of `.canary-mapping.yaml`: per base Mapping, the declared canary's URL template, RFC 6902
// patches on the canary Mapping object, and a preview route.
import * as z from 'zod/mini';
import type { SourceLocation } from '../diagnostics/diagnostics.js';

export const patchOperationSchema = z.strictObject({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
  value: z.optional(z.unknown()),
  from: z.optional(z.string()),
});

/** RFC 9110 token characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const previewSchema = z.strictObject({
  header: z.string().check(z.regex(HEADER_NAME, 'expected an HTTP header name such as x-canary')),
  value: z.string().check(
    z.minLength(1, 'expected the header value that selects the preview'),
    // RFC 9110: no control characters in a field value (a line break would end the header).
    z.regex(/^[^\x00-\x08\x0a-\x1f\x7f]*$/, 'expected a header value on one line, without control characters'),
  ),
});

export const mappingConfigSchema = z.strictObject({
  canaryService: z.optional(z.string()),
  patches: z.optional(z.array(patchOperationSchema)),
  preview: z.optional(previewSchema),
});

/** A Mapping's name: a Kubernetes object name (DNS subdomain). */
export const mappingNameSchema = z
  .string()
  .check(z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'expected the name of a base Mapping'), z.maxLength(253));

export type PatchOperation = z.infer<typeof patchOperationSchema>;
export type PreviewRoute = z.infer<typeof previewSchema>;
export type MappingConfig = z.infer<typeof mappingConfigSchema>;

/** A config entry with where each of its fields is written, for diagnostics found later (a bad template, a patch). */
export interface LocatedMappingConfig {
  config: MappingConfig;
  /** Key path within the entry (`canaryService`, `patches[1]`, `preview`) → where it is written. */
  at: (field: string) => SourceLocation;
  /** `mappings.identity`: how the entry is named in messages. */
  keyPath: string;
}
