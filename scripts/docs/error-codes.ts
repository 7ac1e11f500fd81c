// Every diagnostic code the plugin can report, with what it means: `npm run generate-docs` writes docs/errors.md from
// this table, and test/docs.test.ts fails when a code the source can report has no entry here, or an entry names a
// code the source no longer reports. Audit findings are not diagnostics: docs/audit.md explains them.
import { markdownCell } from './settings-page.js';

/** Where `npm run generate-docs` writes the page. */
export const ERRORS_PAGE = 'docs/errors.md';

export interface ErrorCodeGroup {
  title: string;
  /** What the codes of the group have in common, said once above its table. */
  intro?: string;
  /** Keyed by code: what the code means, in Markdown. */
  codes: Record<string, string>;
}

export const errorCodeGroups: ErrorCodeGroup[] = [
  {
    title: 'YAML and JSON',
    intro: 'What Kubernetes cannot read, or reads otherwise than it looks.',
    codes: {
      syntax: 'YAML or JSON that Kubernetes cannot read: a syntax error',
      'document-separator': 'content on a `---` line',
      'yaml-directive': 'a `%YAML`/`%TAG` directive (Argo CD cuts it off from its document)',
      'control-character': 'a control character in a value, which Kubernetes refuses once it has written the value as JSON',
      'complex-key':
        'a map key that is a map or list, which Kubernetes refuses (an unrendered `{{ template }}` looks like one: render it first, or use the Helm variant)',
      'map-key': 'a null map key, or a numeric one beyond 64 bits, which Kubernetes refuses',
      'merge-value': 'a `<<` merge of something other than maps',
      'yaml-tag': 'a tag that does not fit its value (`!!int abc`, bad `!!binary`)',
      'unsupported-number': '`.inf` or `.nan`, which have no JSON form',
      'duplicate-key':
        'a map key written twice, also when two keys only become equal as strings (`yes` and `"true"`): Argo CD silently keeps one of the values, so the plugin refuses it on purpose',
      'yaml-aliases': 'more aliases than `max-aliases` in one document, or an alias inside its own anchor',
      'expanded-too-large': 'a document that outgrows `max-expanded-size` once its aliases are expanded',
      'not-an-object':
        'a document that is not a map with a string `kind` (Argo CD refuses it too), or an object or List item without `apiVersion` and `kind` (Argo CD would pass it on, but it cannot be applied; leave such files out with `exclude`)',
      'unwritable-value':
        'an object the plugin writes anew (a JSON document, a List item, a rewritten base) holds a value no YAML can carry to Kubernetes unchanged: NEL or a C1 control character in a string (Kubernetes folds or refuses them when it reads its own JSON), or an integer beyond 2^53',
    },
  },
  {
    title: 'Files and limits',
    intro:
      'The limits are settings ([Limits](settings.md#limits)); the message of a limit names the setting that raises it.',
    codes: {
      'no-objects': 'nothing to render: refused, since an empty render would prune the app',
      'internal-error': 'a bug in the plugin, reported in one line with the file it was reading (never a stack trace); nothing was rendered',
      'helm-chart': 'the app directory holds `Chart.yaml`: select the Helm variant, `canary-mapping-helm-v1` (see [Helm](sources.md#helm))',
      'no-app-directory': 'the app directory is missing',
      unreadable: 'an entry cannot be read (a broken symlink, a symlink loop, no permission)',
      'not-a-file': 'an entry that is not a regular file (a FIFO, socket or device)',
      'outside-repository': 'a symlink that leads out of the repository',
      'not-utf8': 'a file that is not UTF-8 text (binary data, UTF-16); the position of the first bad byte is given',
      'file-too-large': 'a file larger than `max-file-size`, refused before it is read',
      'app-too-large': 'all files of the app together (or the Kustomize render) hold more than `max-total-size`',
      'too-many-documents': 'more documents than `max-documents` in all files of the app together',
      'too-deep': 'maps and lists nested deeper than `max-depth`',
    },
  },
  {
    title: 'Rollouts and base Mappings',
    codes: {
      'duplicate-object': 'two objects with the same group, kind, namespace and name',
      'name-missing': 'a Rollout or Mapping without a name',
      'rollout-service-missing': 'a Rollout that routes through Ambassador without a `stableService` or `canaryService`',
      'canary-service-not-bare': "a Rollout's `canaryService` that is not a bare Service name in the Rollout's namespace",
      'rollout-mappings-invalid': "a Rollout whose `trafficRouting.ambassador.mappings` is not a non-empty list of Mapping names",
      'mapping-not-found': 'a Rollout names a Mapping that is not in the app in its namespace',
      'mapping-not-visible': "a Rollout names a Mapping the controller's API version (`ambassador-api-version`) cannot see",
      'mapping-shared': 'two Rollouts name the same base Mapping',
      'mapping-listed-twice': 'one Rollout names the same base Mapping twice',
      'canary-mapping-exists':
        'a `<base>-canary` Mapping committed next to its base that the plugin does not manage (in clone-safe mode, any): the controller adopts it, changes its weight and deletes it, Argo CD re-applies it, and the two fight. In guarded mode the plugin\'s own earlier output (labels `canary-mapping.dev/managed-by` and `canary-mapping.dev/guard`) is accepted and replaced, so `generate` is idempotent on its output',
      'canary-name-collision':
        'two base Mappings in one namespace share their first 246 characters, so the controller (and guarded) would give both the same `<base>-canary`',
      'host-selects-base':
        "clone-safe: a Host in the render takes the base through its labels (`mappingSelector`); the controller's canary copy carries no labels, so it never joins that Host. One error per base, naming the first five such Hosts and counting the rest. Put the hostname on the base and drop the selector, or use `guarded`",
      'too-many-host-checks':
        "the Hosts' `mappingSelector`s would need more than 5,000,000 checks against the base Mappings' labels (thousands of distinct selectors that thousands of bases all carry the labels of; see [Performance](performance.md)); reported at the first base left unchecked, before its other errors. Give each selector a label only the Mappings it takes carry, or put the hostnames on the Mappings",
      'base-weight': 'a base Mapping with a non-zero `weight` (the Rollout would be rejected)',
      'service-missing': 'a base Mapping without `spec.service`',
      'service-invalid':
        'a `spec.service` Emissary routes nothing for, or not as written: a named or out-of-range port (Emissary ignores the Mapping), a path (Emissary drops it; a trailing `/` alone is accepted), a host no Service can have. An unknown scheme such as `grpc://` is accepted: Emissary strips it with an error and routes plain HTTP, which `explain` says',
      'tls-invalid': 'a getambassador.io/v3alpha1 Mapping with a boolean `tls`: the API server refuses it (v3alpha1 `tls` only names a TLSContext)',
      'tls-context-missing': 'the canary a controller copies originates TLS only through a TLSContext (`legacy-tls-context`), and the render holds TLSContexts but none of that name',
      'base-not-stable-service':
        "the base does not point at the Rollout's `stableService` (an umbrella Service, an IP): the canary would serve stable",
    },
  },
  {
    title: 'Declared canaries',
    codes: {
      'no-clone-safe-form':
        'no equivalent spelling of the base makes every targeted controller create the declared canary; the message says which version breaks and how, the hint which settings would work (`rollouts-version`, `legacy-tls-context`, `guarded`)',
      'template-invalid':
        'a canary URL template (annotation or config) with an unknown variable, an unterminated `{{`, or a result that is not an explicit URL',
      'needs-guarded':
        'in clone-safe mode, a declared canary the controller cannot copy from the base (another Service, namespace, port or protocol), or patches',
      'patch-invalid':
        'a patch that touches apiVersion, kind, metadata.name, metadata.namespace or spec.weight, or goes through a prototype',
      'patch-failed': 'a patch that does not apply to the canary Mapping',
      'preview-mapping-exists': "the preview route's name (`<base>-preview`) is taken by an object in the app",
      'sync-wave-invalid': "guarded: the Rollout's `argocd.argoproj.io/sync-wave` is not an integer",
      'skip-invalid': '`canary-mapping.dev/skip` is neither `"true"` nor `"false"`',
      'config-mapping-unknown': 'a `mappings:` entry names a Mapping that no Rollout of the app routes through',
      'guard-policy-unsupported': '`guard-policy: emit` for a cluster whose `KUBE_API_VERSIONS` lacks ValidatingAdmissionPolicy',
    },
  },
  {
    title: 'Kustomize',
    codes: {
      'kustomize-failed': 'Kustomize could not build the app: its own message, the command and its exit status',
      'kustomize-timeout': 'Kustomize ran longer than `kustomize-timeout`; it was killed with every process it started',
      'kustomize-stopped':
        'the plugin was told to stop while Kustomize ran (the executable itself prints `stopped by SIGTERM`)',
      'kustomize-not-found': 'no kustomize or kubectl on PATH, or `kustomize-path` cannot be run',
      'kustomize-not-executable': '`kustomize-path` names a file the sidecar user may not execute',
    },
  },
  {
    title: 'Settings',
    intro: 'The message names the source of the setting: flag, parameter, Application env or config file.',
    codes: {
      'unknown-setting': 'a setting that does not exist; the nearest names are suggested',
      'invalid-setting': 'a bad value for a setting; the message says what was expected',
      'setting-collection-mismatch': 'a list where one value belongs (or the reverse), or a flag given more than once',
      'parameters-malformed': '`ARGOCD_APP_PARAMETERS` is not the JSON array Argo CD writes',
      'parameter-repeated': 'one parameter given twice (two entries of one name in `ARGOCD_APP_PARAMETERS`, a `PARAM_*` variable that disagrees with it, or `PARAM_EXCLUDE_1` and `PARAM_EXCLUDE_01`); the message names both places',
      'config-syntax': '`.canary-mapping.yaml` is not valid YAML',
      'config-not-a-map': '`.canary-mapping.yaml` is not a YAML map',
      'config-multiple-documents': '`.canary-mapping.yaml` holds more than one YAML document',
      'config-key-forbidden': '`.canary-mapping.yaml` uses a key such as `__proto__`',
    },
  },
  {
    title: 'Command line',
    intro: 'A wrong command line exits with status 2; so does an `invalid-setting` or `setting-collection-mismatch` that a flag causes.',
    codes: {
      'no-command': 'no command given',
      'unknown-command': 'a command that does not exist; the nearest is suggested',
      'unknown-flag': 'a flag that does not exist; the nearest names are suggested',
      'flag-value-missing': 'a flag without its value',
      'extra-arguments': 'more arguments than the command takes',
      'output-invalid': '`--output` other than `text` or `json`',
      'audit-input-unreadable': '`audit`: the input file cannot be read',
      'audit-no-objects': '`audit`: the input holds no objects',
      'flag-not-for-command': 'a flag the command does not read (`--output` for `generate`, any flag for `parameters`, a flag that describes an app for `audit`): refused rather than ignored',
      'stdin-is-terminal': '`generate -`, `explain -` or `audit` without a file would read stdin, and stdin is a terminal: refused at once rather than waiting',
    },
  },
];

/** docs/errors.md. */
export function renderErrorsPage(): string {
  const groups = errorCodeGroups.map(({ title, intro, codes }) =>
    [
      `## ${title}`,
      '',
      ...(intro === undefined ? [] : [intro, '']),
      '| code | meaning |',
      '| --- | --- |',
      ...Object.entries(codes).map(([code, meaning]) => `| \`${code}\` | ${markdownCell(meaning)} |`),
      '',
    ].join('\n'),
  );
  return [
    '<!-- Generated by `npm run generate-docs` from scripts/docs/error-codes.ts: edit that file, not this one. -->',
    '',
    '# Errors',
    '',
    'All problems found are reported together, each as `file:line:column: error[code]: message` with a `hint:` line saying',
    "what to do. Inside Argo CD the paths start with the app's path in the repository. Any error means a non-zero exit",
    'status and nothing at all on stdout (see [Command line](cli.md)). The codes:',
    '',
    ...groups,
  ].join('\n');
}
