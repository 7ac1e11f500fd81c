// The one definition of every setting. The zod schema, the CMP parameter announcement (cmp-plugin.yaml and
// `canary-mapping parameters`), the command-line flags, the environment names and the table of docs/settings.md all
// derive from this table; test/settings-drift.test.ts fails when a generated file falls behind it.
// zod/mini: the same validation with a fraction of the load time, which every render pays.
import * as z from 'zod/mini';
import { GLOB_LIMITS, globListProblem, globProblem } from '../manifests/glob.js';

export type CollectionType = 'string' | 'array';

export interface SettingDefinition<S extends z.ZodMiniType = z.ZodMiniType> {
  title: string;
  description: string;
  collectionType: CollectionType;
  schema: S;
  default: z.infer<S>;
  /** Example value shown in the docs; also what a flag's placeholder reads. */
  placeholder: string;
  /** What a value looks like, in a few words: the hint under a bad value. */
  format: string;
  /** Only matters when the plugin reads the app's files itself, not behind a pipe: the Helm variant leaves it out. */
  readsAppFiles?: true;
  /**
   * For settings that choose what the plugin executes: the stricter check for values that come from the Application
   * or the repository (parameters, Application env, the config file). Only command-line flags, which the plugin's own
   * generate command in the sidecar sets, may go beyond it.
   */
  fromApplication?: S;
}

type Lazy<S> = () => S;

/**
 * Schemas are built on first use: building all of them costs a noticeable part of a small render's start-up, and a
 * render validates only the settings some source gives.
 */
function define<S extends z.ZodMiniType>(
  definition: Omit<SettingDefinition<S>, 'schema' | 'fromApplication'> & { schema: Lazy<S>; fromApplication?: Lazy<S> },
): SettingDefinition<S> {
  const { schema, fromApplication, ...rest } = definition;
  const once = (build: Lazy<S>): Lazy<S> => {
    let built: S | undefined;
    return () => (built ??= build());
  };
  const lazySchema = once(schema);
  const lazyApplication = fromApplication && once(fromApplication);
  return Object.defineProperties(rest, {
    schema: { get: lazySchema, enumerable: true },
    ...(lazyApplication ? { fromApplication: { get: lazyApplication, enumerable: true } } : {}),
  }) as SettingDefinition<S>;
}

export const ROLLOUTS_VERSION_PATTERN = /^(any|(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?)$/;
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SERVICE_ACCOUNT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
// Named like the tools it may run, so that a parameter cannot turn the plugin into a launcher for any program.
export const KUSTOMIZE_EXECUTABLE = /(^|\/)(kustomize|kubectl)[^/]*$/;
// Arguments that change neither what Kustomize may read nor what it runs. --load-restrictor=LoadRestrictionsNone
// would let it read any file of the sidecar, --enable-helm run helm and fetch charts: like Argo CD's own
// kustomize.buildOptions, those are the operator's, set in the sidecar's generate command.
const SAFE_KUSTOMIZE_ARGUMENT = /^(--enable-managedby-label|--load-restrictor(=LoadRestrictionsRootOnly)?|LoadRestrictionsRootOnly|--reorder(=(none|legacy))?|none|legacy)$/;

const GLOB_BOUNDS =
  `a glob has at most ${GLOB_LIMITS.length} characters, ${GLOB_LIMITS.globstars} \`**\` and ${GLOB_LIMITS.braceDepth} levels of braces, and its braces pair up; ` +
  `there are at most ${GLOB_LIMITS.count} globs, with at most ${GLOB_LIMITS.totalLength} characters together`;

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
const MAX_TOTAL_SIZE_CAP = SIZE_UNITS.Gi;

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
      "Argo Rollouts controller's own copy is the declared canary. `guarded` also emits the canary Mapping itself, " +
      'exactly as declared, and relies on the guard policy to keep the controller from deleting it (Kubernetes 1.30+).',
    collectionType: 'string',
    schema: () => z.enum(['clone-safe', 'guarded']),
    default: 'clone-safe',
    placeholder: 'clone-safe',
    format: '`clone-safe` or `guarded`',
  }),
  rolloutsVersion: define({
    title: 'Argo Rollouts version',
    description:
      'Argo Rollouts controller versions the output must be safe for: `any` (both the <= 1.6.6 and the >= 1.7.0 ' +
      'canary derivation) or the version you run, as MAJOR.MINOR[.PATCH] (for example `1.6` or `1.8.3`).',
    collectionType: 'string',
    schema: () => z.string().check(
      z.regex(ROLLOUTS_VERSION_PATTERN, 'expected `any` or a version MAJOR.MINOR[.PATCH] such as 1.6 or 1.8.3'),
      z.refine((v) => v === 'any' || !v.startsWith('0.'), 'Ambassador traffic routing needs Argo Rollouts 1.0 or later'),
    ),
    default: 'any',
    placeholder: 'any',
    format: '`any`, or a version MAJOR.MINOR[.PATCH] such as `1.6` or `1.8.3` (1.0 or later)',
  }),
  ambassadorApiVersion: define({
    title: 'Ambassador API version',
    description:
      "The Argo Rollouts controller's `--ambassador-api-version`: the API group/version it reads and writes " +
      'Mappings through.',
    collectionType: 'string',
    schema: () => z.enum(AMBASSADOR_API_VERSIONS),
    default: 'getambassador.io/v2',
    placeholder: 'getambassador.io/v2',
    format: AMBASSADOR_API_VERSIONS.map((version) => `\`${version}\``).join(', '),
  }),
  legacyTlsContext: define({
    title: 'TLSContext for moved schemes',
    description:
      'Name of a TLSContext the plugin may put in `spec.tls` of a base Mapping whose `https://` the <= 1.6.6 copy ' +
      'would drop (needed for getambassador.io/v3alpha1). The base keeps its scheme, so its own route keeps TLS ' +
      'without the context; the copy relies on it. Empty: never use a TLSContext.',
    collectionType: 'string',
    schema: () => z
      .string()
      .check(z.refine((v) => v === '' || (v.length <= 253 && KUBERNETES_NAME.test(v)), 'expected a TLSContext name (lower-case letters, digits and -)')),
    default: '',
    placeholder: 'upstream-tls',
    format: 'a TLSContext name (lower-case letters, digits and -), or empty for none',
  }),
  serviceNamespace: define({
    title: 'Namespace of bare Service names',
    description:
      'Where Emissary looks up a bare Service name in `spec.service`: `mapping`, in the namespace of the Mapping ' +
      "(Emissary's default), or `emissary`, in Emissary's own namespace (the Ambassador Module sets " +
      '`use_ambassador_namespace_for_service_resolution: true`). A Module in the render that sets it counts as `emissary`.',
    collectionType: 'string',
    schema: () => z.enum(['mapping', 'emissary']),
    default: 'mapping',
    placeholder: 'mapping',
    format: '`mapping` or `emissary`',
  }),
  guardPolicy: define({
    title: 'Guard policy',
    description:
      '`emit` adds the ValidatingAdmissionPolicy and its binding that keep Argo Rollouts from deleting guarded canary ' +
      'Mappings to the output (cluster-scoped; once per render); `omit` leaves them to a one-time install of deploy/guard/.',
    collectionType: 'string',
    schema: () => z.enum(['omit', 'emit']),
    default: 'omit',
    placeholder: 'omit',
    format: '`omit` or `emit`',
  }),
  rolloutsServiceAccount: define({
    title: 'Argo Rollouts service account',
    description: 'The service account the Argo Rollouts controller runs as, as namespace/name: the guard policy refuses its deletes.',
    collectionType: 'string',
    schema: () => z.string().check(z.regex(SERVICE_ACCOUNT, 'expected namespace/name, such as argo-rollouts/argo-rollouts')),
    default: 'argo-rollouts/argo-rollouts',
    placeholder: 'argo-rollouts/argo-rollouts',
    format: 'namespace/name, such as `argo-rollouts/argo-rollouts`',
  }),
  exclude: define({
    readsAppFiles: true,
    title: 'Exclude',
    description:
      'Globs of files, relative to the app directory, that are not read (for example `tests/**` or `*.values.yaml`). ' +
      `${GLOB_BOUNDS[0]!.toUpperCase()}${GLOB_BOUNDS.slice(1)}.`,
    collectionType: 'array',
    schema: () =>
      z
        .array(
          z.string().check(
            z.minLength(1, 'expected a non-empty glob'),
            z.superRefine((glob, context) => {
              const problem = globProblem(glob);
              if (problem) context.addIssue({ code: 'custom', message: problem, input: glob });
            }),
          ),
        )
        .check(
          z.superRefine((globs, context) => {
            const problem = globListProblem(globs);
            if (problem) context.addIssue({ code: 'custom', message: `${problem}; exclude a directory rather than each file in it, or join globs with braces`, input: globs });
          }),
        ),
    default: [],
    placeholder: 'tests/**',
    format: `globs such as \`tests/**\`: ${GLOB_BOUNDS}`,
  }),
  source: define({
    readsAppFiles: true,
    title: 'Source',
    description:
      'How the app directory is read: `auto` renders it with Kustomize when it holds kustomization.yaml, ' +
      'kustomization.yml or Kustomization and reads it as a plain directory otherwise; `directory`; `kustomize`. ' +
      '`generate -` reads stdin whatever this says.',
    collectionType: 'string',
    schema: () => z.enum(['auto', 'directory', 'kustomize']),
    default: 'auto',
    placeholder: 'auto',
    format: '`auto`, `directory` or `kustomize`',
  }),
  kustomizePath: define({
    readsAppFiles: true,
    title: 'Kustomize executable',
    description:
      'The Kustomize to run: a name on PATH or a path, whose file name starts with kustomize or kubectl. A kubectl ' +
      'runs as `kubectl kustomize`, a kustomize as `kustomize build`. Empty: kustomize if it is on PATH, else kubectl.',
    collectionType: 'string',
    schema: () => z
      .string()
      .check(z.refine((v) => v === '' || KUSTOMIZE_EXECUTABLE.test(v), 'expected a kustomize or kubectl executable (its file name starts with kustomize or kubectl)')),
    // A path could name a script in the repository: from the Application, only the tools on the sidecar's PATH.
    fromApplication: () => z
      .string()
      .check(z.regex(/^(|kustomize|kubectl)$/, "from the Application or the repository, expected kustomize or kubectl (a name on PATH); a path may only be set in the plugin's generate command")),
    default: '',
    placeholder: '/usr/local/bin/kustomize',
    format: '`kustomize` or `kubectl` (a name on PATH); a path only in the plugin\'s generate command',
  }),
  kustomizeArgs: define({
    readsAppFiles: true,
    title: 'Kustomize arguments',
    description:
      'Extra arguments for Kustomize, before the app directory (for example `--reorder=legacy`). Arguments that widen ' +
      'what Kustomize reads or runs, such as `--enable-helm`, only from the command line of the plugin\'s generate command.',
    collectionType: 'array',
    schema: () => z.array(z.string().check(z.minLength(1, 'expected a non-empty argument'))),
    // Flags such as --enable-exec or --helm-command make Kustomize run programs: from the Application, only these.
    fromApplication: () => z.array(
      z.string().check(z.regex(SAFE_KUSTOMIZE_ARGUMENT, 'from the Application or the repository, expected one of --load-restrictor=LoadRestrictionsRootOnly, --reorder=none|legacy, --enable-managedby-label; other arguments may only be set in the plugin\'s generate command')),
    ),
    default: [],
    placeholder: '--enable-helm',
    format: 'from the Application, only `--load-restrictor=LoadRestrictionsRootOnly`, `--reorder=none|legacy` and `--enable-managedby-label`',
  }),
  kustomizeTimeout: define({
    readsAppFiles: true,
    title: 'Kustomize timeout',
    description:
      'Seconds Kustomize may run before it is stopped, with every process it started; a second run that locates ' +
      "problems shares them. Keep it below Argo CD's deadline for the whole request (60 s unless changed).",
    collectionType: 'string',
    schema: () => z.string().check(z.regex(/^[1-9]\d{0,3}$/, 'expected a whole number of seconds, such as 45')),
    default: '45',
    placeholder: '45',
    format: 'whole seconds, 1 to 9999, such as `45`',
  }),
  maxFileSize: define({
    title: 'Maximum file size',
    description:
      'Largest manifest file read, in bytes or with a Ki, Mi or Gi suffix (at most 256Mi). A larger file is an error, ' +
      'not a slow render.',
    collectionType: 'string',
    schema: () => quantity(SIZE_PATTERN, 'expected a size such as 16Mi, 512Ki or 1048576', (bytes) => bytes <= MAX_FILE_SIZE_CAP, 'at most 256Mi: larger files do not fit in memory as text'),
    default: '16Mi',
    placeholder: '16Mi',
    format: 'a size such as `16Mi`, `512Ki` or `1048576`, at most 256Mi',
  }),
  maxTotalSize: define({
    title: 'Maximum app size',
    description:
      'Most bytes all manifest files of the app (or the Kustomize render) may hold together, with a Ki, Mi or Gi ' +
      'suffix (at most 1Gi). A larger app is an error, not a render that exhausts the sidecar.',
    collectionType: 'string',
    schema: () => quantity(SIZE_PATTERN, 'expected a size such as 64Mi, 512Ki or 1048576', (bytes) => bytes <= MAX_TOTAL_SIZE_CAP, 'at most 1Gi'),
    default: '64Mi',
    placeholder: '64Mi',
    format: 'a size such as `64Mi`, `512Ki` or `1048576`, at most 1Gi',
  }),
  maxDocuments: define({
    title: 'Maximum documents',
    description: "Most YAML and JSON documents the app may have in all its files together (a List's items count one each).",
    collectionType: 'string',
    schema: () => quantity(COUNT_PATTERN, 'expected a whole number such as 10000', (count) => count >= 1, 'expected at least 1'),
    default: '10000',
    placeholder: '10000',
    format: 'a whole number, at least 1, such as `10000`',
  }),
  maxAliases: define({
    title: 'Maximum YAML aliases',
    description:
      'Most aliases (`*name`) one YAML document may use; what they expand to is bounded by max-expanded-size. 0 ' +
      'forbids aliases.',
    collectionType: 'string',
    schema: () => quantity(COUNT_PATTERN, 'expected a whole number such as 100', (count) => count <= 100_000, 'at most 100000'),
    default: '100',
    placeholder: '100',
    format: 'a whole number, 0 to 100000, such as `100`',
  }),
  maxExpandedSize: define({
    title: 'Maximum expanded document size',
    description:
      'Largest size, in characters of its JSON form, one document may reach once its YAML aliases are expanded, with ' +
      'a Ki, Mi or Gi suffix (at most 256Mi): a few aliases of a large anchor must not turn into gigabytes.',
    collectionType: 'string',
    schema: () => quantity(SIZE_PATTERN, 'expected a size such as 16Mi, 512Ki or 1048576', (bytes) => bytes <= MAX_FILE_SIZE_CAP, 'at most 256Mi'),
    default: '16Mi',
    placeholder: '16Mi',
    format: 'a size such as `16Mi`, `512Ki` or `1048576`, at most 256Mi',
  }),
  maxDepth: define({
    title: 'Maximum nesting depth',
    description: 'Most maps and lists nested inside each other in one document (at most 500).',
    collectionType: 'string',
    schema: () => quantity(COUNT_PATTERN, 'expected a whole number such as 100', (depth) => depth >= 1 && depth <= MAX_DEPTH_CAP, 'expected 1 to 500: deeper documents exhaust the stack'),
    default: '100',
    placeholder: '100',
    format: 'a whole number, 1 to 500, such as `100`',
  }),
} satisfies Record<string, SettingDefinition>;

export type SettingKey = keyof typeof settingsTable;
export const settingKeys = Object.keys(settingsTable) as SettingKey[];

export type Settings = { [K in SettingKey]: z.infer<(typeof settingsTable)[K]['schema']> };

/** The check for a value from the Application or the repository (see `fromApplication`). */
export function applicationSchema(key: SettingKey): z.ZodMiniType {
  const definition: SettingDefinition = settingsTable[key];
  return definition.fromApplication ?? definition.schema;
}

/** Every setting as the Application and the repository may set it; built on first use (only a config file needs it). */
export function applicationSettingsSchema() {
  return z.strictObject(
    Object.fromEntries(settingKeys.map((key) => [key, applicationSchema(key)])) as {
      [K in SettingKey]: (typeof settingsTable)[K]['schema'];
    },
  );
}

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
