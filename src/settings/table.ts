// The one definition of every setting. The zod schema, the CMP parameter announcement (cmp-plugin.yaml and
// `canary-mapping parameters`), the command-line flags, the environment names and the README table all derive
// from this table; test/settings-drift.test.ts fails when a generated file falls behind it.
// zod/mini: the same validation with a fraction of the load time, which every render pays.
import * as z from 'zod/mini';

export type CollectionType = 'string' | 'array';

export interface SettingDefinition<S extends z.ZodMiniType = z.ZodMiniType> {
  title: string;
  description: string;
  collectionType: CollectionType;
  schema: S;
  default: z.infer<S>;
  /** Example value shown in the docs; also what a flag's placeholder reads. */
  placeholder: string;
}

function define<S extends z.ZodMiniType>(definition: SettingDefinition<S>): SettingDefinition<S> {
  return definition;
}

export const ROLLOUTS_VERSION_PATTERN = /^(any|(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?)$/;
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const AMBASSADOR_API_VERSIONS = [
  'getambassador.io/v2',
  'getambassador.io/v3alpha1',
  'x.getambassador.io/v3alpha1',
] as const;

/** Units of the size settings, as in Kubernetes quantities. */
const SIZE_UNITS = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 } as const;
const SIZE_PATTERN = /^(0|[1-9]\d*)(Ki|Mi|Gi)?$/;
const COUNT_PATTERN = /^(0|[1-9]\d*)$/;
const MAX_FILE_SIZE_CAP = 256 * SIZE_UNITS.Mi;
const MAX_DEPTH_CAP = 500;

/** `16Mi` → 16777216; `100` → 100. Only for values a quantity schema accepted. */
export function quantityValue(text: string): number {
  const [, digits, unit = ''] = SIZE_PATTERN.exec(text) ?? [];
  return Number(digits) * SIZE_UNITS[unit as keyof typeof SIZE_UNITS];
}

/**
 * A limit: a number in the config file, a string everywhere else (parameters and env are strings). Kept as the
 * text the user wrote, so that messages and the docs show `16Mi` rather than a byte count.
 */
function quantity(pattern: RegExp, format: string, inRange: (value: number) => boolean, range: string) {
  return z
    .pipe(z.union([z.number(), z.string()], { error: format }), z.transform(String))
    .check(z.regex(pattern, format), z.refine((text) => !pattern.test(text) || inRange(quantityValue(text)), range));
}

export const settingsTable = {
  strategy: define({
    title: 'Strategy',
    description:
      'How the declared canary becomes the running canary. `clone-safe` rewrites each base Mapping so that the ' +
      "Argo Rollouts controller's own copy is the declared canary.",
    collectionType: 'string',
    schema: z.enum(['clone-safe']),
    default: 'clone-safe',
    placeholder: 'clone-safe',
  }),
  rolloutsVersion: define({
    title: 'Argo Rollouts version',
    description:
      'Argo Rollouts controller versions the output must be safe for: `any` (both the <= 1.6.6 and the >= 1.7.0 ' +
      'canary derivation) or the version you run, as MAJOR.MINOR[.PATCH] (for example `1.6` or `1.8.3`).',
    collectionType: 'string',
    schema: z.string().check(
      z.regex(ROLLOUTS_VERSION_PATTERN, 'expected `any` or a version MAJOR.MINOR[.PATCH] such as 1.6 or 1.8.3'),
      z.refine((v) => v === 'any' || !v.startsWith('0.'), 'Ambassador traffic routing needs Argo Rollouts 1.0 or later'),
    ),
    default: 'any',
    placeholder: 'any',
  }),
  ambassadorApiVersion: define({
    title: 'Ambassador API version',
    description:
      "The Argo Rollouts controller's `--ambassador-api-version`: the API group/version it reads and writes " +
      'Mappings through.',
    collectionType: 'string',
    schema: z.enum(AMBASSADOR_API_VERSIONS),
    default: 'getambassador.io/v2',
    placeholder: 'getambassador.io/v2',
  }),
  legacyTlsContext: define({
    title: 'TLSContext for moved schemes',
    description:
      'Name of a TLSContext the plugin may put in `spec.tls` of a base Mapping when it must carry `https://` ' +
      'outside the service URL (needed for getambassador.io/v3alpha1). Empty: never use a TLSContext.',
    collectionType: 'string',
    schema: z
      .string()
      .check(z.refine((v) => v === '' || (v.length <= 253 && KUBERNETES_NAME.test(v)), 'expected a TLSContext name (lower-case letters, digits and -)')),
    default: '',
    placeholder: 'upstream-tls',
  }),
  exclude: define({
    title: 'Exclude',
    description:
      'Globs of files, relative to the app directory, that are not read (for example `tests/**` or `*.values.yaml`).',
    collectionType: 'array',
    schema: z.array(z.string().check(z.minLength(1, 'expected a non-empty glob'))),
    default: [],
    placeholder: 'tests/**',
  }),
  maxFileSize: define({
    title: 'Maximum file size',
    description:
      'Largest manifest file read, in bytes or with a Ki, Mi or Gi suffix (at most 256Mi). A larger file is an error, ' +
      'not a slow render.',
    collectionType: 'string',
    schema: quantity(SIZE_PATTERN, 'expected a size such as 16Mi, 512Ki or 1048576', (bytes) => bytes <= MAX_FILE_SIZE_CAP, 'at most 256Mi: larger files do not fit in memory as text'),
    default: '16Mi',
    placeholder: '16Mi',
  }),
  maxDocuments: define({
    title: 'Maximum documents',
    description: "Most YAML and JSON documents the app may have in all its files together (a List's items count one each).",
    collectionType: 'string',
    schema: quantity(COUNT_PATTERN, 'expected a whole number such as 10000', (count) => count >= 1, 'expected at least 1'),
    default: '10000',
    placeholder: '10000',
  }),
  maxAliases: define({
    title: 'Maximum YAML aliases',
    description:
      'Most alias expansions (`*name`, counting the aliases inside the anchored value) one YAML document may make: a ' +
      'guard against alias bombs. 0 forbids aliases.',
    collectionType: 'string',
    schema: quantity(COUNT_PATTERN, 'expected a whole number such as 100', (count) => count <= 100_000, 'at most 100000'),
    default: '100',
    placeholder: '100',
  }),
  maxDepth: define({
    title: 'Maximum nesting depth',
    description: 'Most maps and lists nested inside each other in one document (at most 500).',
    collectionType: 'string',
    schema: quantity(COUNT_PATTERN, 'expected a whole number such as 100', (depth) => depth >= 1 && depth <= MAX_DEPTH_CAP, 'expected 1 to 500: deeper documents exhaust the stack'),
    default: '100',
    placeholder: '100',
  }),
} satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof settingsTable;
export const settingKeys = Object.keys(settingsTable) as SettingKey[];

export const settingsSchema = z.strictObject(
  Object.fromEntries(settingKeys.map((key) => [key, settingsTable[key].schema])) as {
    [K in SettingKey]: (typeof settingsTable)[K]['schema'];
  },
);

export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings = Object.fromEntries(
  settingKeys.map((key) => [key, settingsTable[key].default]),
) as Settings;

/** `rolloutsVersion` → `rollouts-version`: parameter and flag name. */
export function parameterName(key: SettingKey): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `rolloutsVersion` → `CANARY_MAPPING_ROLLOUTS_VERSION`, read as `ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION`. */
export function environmentName(key: SettingKey): string {
  return `CANARY_MAPPING_${parameterName(key).toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

/** Argo CD's `PARAM_<NAME>` spelling: upper case, anything outside [A-Z0-9_] becomes `_`. */
export function paramVariableName(name: string): string {
  return `PARAM_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}
