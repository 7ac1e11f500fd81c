import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parameterAnnouncement } from '../src/cmp/announcement.js';
import { formatLocation, type Diagnostic } from '../src/diagnostics/diagnostics.js';
import { compileGlobs } from '../src/manifests/glob.js';
import { parseConfigFile } from '../src/settings/config-file.js';
import { resolveSettings, type ResolveInput } from '../src/settings/resolve.js';
import { defaultSettings } from '../src/settings/table.js';

const CONFIG = '.canary-mapping.yaml';

function resolve(input: { flags?: ResolveInput['flags']; environment?: ResolveInput['environment']; config?: string }) {
  return resolveSettings({
    flags: input.flags ?? {},
    environment: input.environment ?? {},
    ...(input.config === undefined ? {} : { configFile: { path: CONFIG, text: input.config } }),
  });
}

/** The one diagnostic a case expects, with a readable failure when there are others. */
function single(diagnostics: Diagnostic[]): Diagnostic {
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 2));
  return diagnostics[0]!;
}

function appParameters(...entries: unknown[]): string {
  return JSON.stringify(entries);
}

describe('precedence', () => {
  // Highest first; each case drops the sources above it.
  const sources: { name: string; value: string; input: Parameters<typeof resolve>[0] }[] = [
    { name: 'flag', value: '1.9', input: { flags: { rolloutsVersion: '1.9' } } },
    // With the PARAM_ variable Argo CD derives from it, which takes the place of a lower PARAM_ source's.
    { name: 'ARGOCD_APP_PARAMETERS', value: '1.8', input: { environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'rollouts-version', string: '1.8' }), PARAM_ROLLOUTS_VERSION: '1.8' } } },
    { name: 'PARAM_*', value: '1.7', input: { environment: { PARAM_ROLLOUTS_VERSION: '1.7' } } },
    { name: 'Application env', value: '1.6', input: { environment: { ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: '1.6' } } },
    { name: 'config file', value: '1.5', input: { config: 'rolloutsVersion: "1.5"\n' } },
  ];
  sources.forEach((winner, index) => {
    test(`${winner.name} wins over every lower source`, () => {
      const present = sources.slice(index);
      const { settings, diagnostics } = resolve({
        flags: Object.assign({}, ...present.map((source) => source.input.flags)),
        environment: Object.assign({}, ...present.map((source) => source.input.environment).reverse()),
        config: present.map((source) => source.input.config).find((config) => config !== undefined),
      });
      assert.deepEqual(diagnostics, []);
      assert.equal(settings.rolloutsVersion, winner.value);
    });
  });

  test('defaults apply when no source sets anything', () => {
    assert.deepEqual(resolve({}), { settings: defaultSettings, mappings: {}, diagnostics: [], commandLine: false });
  });

  test('sources merge per setting', () => {
    const { settings, diagnostics } = resolve({
      flags: { strategy: 'clone-safe' },
      environment: { ARGOCD_ENV_CANARY_MAPPING_AMBASSADOR_API_VERSION: 'getambassador.io/v3alpha1' },
      config: 'legacyTlsContext: upstream-tls\nrolloutsVersion: "1.6"\n',
    });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(settings, {
      ...defaultSettings,
      strategy: 'clone-safe',
      rolloutsVersion: '1.6',
      ambassadorApiVersion: 'getambassador.io/v3alpha1',
      legacyTlsContext: 'upstream-tls',
    });
  });
});

describe('arrays', () => {
  const cases: { name: string; input: Parameters<typeof resolve>[0]; exclude: string[] }[] = [
    { name: 'one flag string is comma-separated', input: { flags: { exclude: ' a/** , b,,c ' } }, exclude: ['a/**', 'b', 'c'] },
    { name: 'repeated flags are taken as given', input: { flags: { exclude: ['src/{a,b}/**', 'c'] } }, exclude: ['src/{a,b}/**', 'c'] },
    { name: 'ARGOCD_APP_PARAMETERS', input: { environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'exclude', array: ['a', 'b'] }) } }, exclude: ['a', 'b'] },
    {
      name: 'PARAM_<NAME>_<i> in numeric order',
      input: { environment: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`PARAM_EXCLUDE_${i}`, `g${i}`])) },
      exclude: Array.from({ length: 11 }, (_, i) => `g${i}`),
    },
    { name: 'Application env is comma-separated', input: { environment: { ARGOCD_ENV_CANARY_MAPPING_EXCLUDE: 'tests/**, *.values.yaml,' } }, exclude: ['tests/**', '*.values.yaml'] },
    { name: 'config file list', input: { config: 'exclude:\n  - tests/**\n  - "*.values.yaml"\n' }, exclude: ['tests/**', '*.values.yaml'] },
    {
      name: 'an empty parameter array overrides the config file',
      input: { environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'exclude', array: [] }) }, config: 'exclude: [a]\n' },
      exclude: [],
    },
  ];
  for (const { name, input, exclude } of cases) {
    test(name, () => {
      const { settings, diagnostics } = resolve(input);
      assert.deepEqual(diagnostics, []);
      assert.deepEqual(settings.exclude, exclude);
    });
  }
});

describe('ARGOCD_APP_PARAMETERS and PARAM_*', () => {
  test('unset or null: no parameters, PARAM_* still read', () => {
    for (const value of [undefined, 'null', ' null\n']) {
      const { settings, diagnostics } = resolve({ environment: { ARGOCD_APP_PARAMETERS: value, PARAM_ROLLOUTS_VERSION: '1.7' } });
      assert.deepEqual(diagnostics, []);
      assert.equal(settings.rolloutsVersion, '1.7');
    }
  });

  test('an entry with only a name sets nothing', () => {
    const { settings, diagnostics } = resolve({ environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'rollouts-version' }) } });
    assert.deepEqual(diagnostics, []);
    assert.equal(settings.rolloutsVersion, 'any');
  });

  test('PARAM_* that ARGOCD_APP_PARAMETERS carries are not read again', () => {
    // As Argo CD sends them: each problem must be reported once, from ARGOCD_APP_PARAMETERS.
    const { diagnostics } = resolve({
      environment: {
        ARGOCD_APP_PARAMETERS: appParameters({ name: 'rollouts-version', string: '0.9' }, { name: 'm', map: { k: 'v' } }),
        PARAM_ROLLOUTS_VERSION: '0.9',
        PARAM_M_K: 'v',
      },
    });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['unknown-setting', 'invalid-setting'],
    );
  });

  const malformed = [
    { value: '[{"name":', message: /^ARGOCD_APP_PARAMETERS is not valid JSON: / },
    { value: '{"name":"exclude"}', message: /^ARGOCD_APP_PARAMETERS is \{"name":"exclude"\}; expected a JSON array of parameters$/ },
    { value: '[{"string":"1.6"}]', message: /^ARGOCD_APP_PARAMETERS\[0\] \{"string":"1.6"\}: name: expected a string$/ },
    { value: '[{"name":"exclude","array":[1]}]', message: /^ARGOCD_APP_PARAMETERS\[0\] .*: array\[0\]: expected a string$/ },
    { value: '["exclude"]', message: /^ARGOCD_APP_PARAMETERS\[0\] "exclude": expected an object$/ },
  ];
  for (const { value, message } of malformed) {
    test(`malformed: ${value}`, () => {
      const d = single(resolve({ environment: { ARGOCD_APP_PARAMETERS: value } }).diagnostics);
      assert.equal(d.code, 'parameters-malformed');
      assert.match(d.message, message);
      assert.match(d.hint ?? '', /spec\.source\.plugin\.parameters/);
    });
  }

  test('unknown parameter name, with a suggestion', () => {
    const d = single(resolve({ environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'rolloutsVersion', string: '1.6' }) } }).diagnostics);
    assert.equal(d.code, 'unknown-setting');
    assert.equal(d.message, 'parameter rolloutsVersion in ARGOCD_APP_PARAMETERS: not a parameter of this plugin');
    assert.equal(d.hint, 'did you mean rollouts-version?');
  });

  test('unknown parameter given as a map: reported as unknown only', () => {
    const d = single(resolve({ environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'm', map: { k: 'v' } }) } }).diagnostics);
    assert.equal(d.code, 'unknown-setting');
    // Nothing is near `m`: the hint says where the names are instead of listing all of them.
    assert.equal(d.hint, 'docs/settings.md lists every setting under each of its names');
  });

  const mismatches = [
    { entry: { name: 'exclude', string: 'a,b' }, message: 'parameter exclude in ARGOCD_APP_PARAMETERS: given as a string; expected an array' },
    { entry: { name: 'rollouts-version', array: ['1.6'] }, message: 'parameter rollouts-version in ARGOCD_APP_PARAMETERS: given as an array; expected a string' },
    { entry: { name: 'exclude', map: { a: 'b' } }, message: 'parameter exclude in ARGOCD_APP_PARAMETERS: given as a map; expected an array' },
  ];
  for (const { entry, message } of mismatches) {
    test(`collection mismatch: ${JSON.stringify(entry)}`, () => {
      const { settings, diagnostics } = resolve({ environment: { ARGOCD_APP_PARAMETERS: appParameters(entry) } });
      const d = single(diagnostics);
      assert.equal(d.code, 'setting-collection-mismatch');
      assert.equal(d.message, message);
      assert.match(d.hint ?? '', new RegExp(`^${entry.name} is an? \\w+ parameter: give it as \`(string|array):\``));
      assert.deepEqual(settings, defaultSettings);
    });
  }

  test('PARAM_* collection mismatches', () => {
    const { diagnostics } = resolve({ environment: { PARAM_EXCLUDE: 'a', PARAM_ROLLOUTS_VERSION_0: '1.6' } });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.message]),
      [
        ['setting-collection-mismatch', 'PARAM_EXCLUDE: given as a string; expected an array'],
        ['setting-collection-mismatch', 'PARAM_ROLLOUTS_VERSION_0: given as an array; expected a string'],
      ],
    );
  });

  test('a misspelt parameter gets the nearest names, not the whole list', () => {
    const d = single(resolve({ environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'rollout-version', string: '1.6' }) } }).diagnostics);
    assert.equal(d.hint, 'did you mean rollouts-version?');
    const variable = single(resolve({ environment: { PARAM_MAX_DEPT: '5' } }).diagnostics);
    assert.equal(variable.hint, 'did you mean PARAM_MAX_DEPTH?');
  });

  test('a parameter given twice in ARGOCD_APP_PARAMETERS is an error naming both entries; neither value is taken', () => {
    const parameters = appParameters({ name: 'rollouts-version', string: '1.6' }, { name: 'strategy', string: 'clone-safe' }, { name: 'rollouts-version', string: '1.8' });
    const { settings, diagnostics } = resolve({ environment: { ARGOCD_APP_PARAMETERS: parameters } });
    const d = single(diagnostics);
    assert.equal(d.code, 'parameter-repeated');
    assert.equal(d.message, 'parameter rollouts-version in ARGOCD_APP_PARAMETERS is given twice: as ARGOCD_APP_PARAMETERS[0] and as ARGOCD_APP_PARAMETERS[2]');
    assert.equal(settings.rolloutsVersion, '1.6', 'the first stands until the error stops the render; the second never wins silently');
  });

  test('a PARAM_ variable that disagrees with ARGOCD_APP_PARAMETERS, which Argo CD derives it from, is an error naming both', () => {
    const environment = {
      ARGOCD_APP_PARAMETERS: appParameters({ name: 'exclude', array: ['a', 'b'] }, { name: 'rollouts-version', string: '1.8' }),
      PARAM_EXCLUDE_0: 'a',
      PARAM_EXCLUDE_1: 'c',
      PARAM_EXCLUDE_2: 'd',
      PARAM_ROLLOUTS_VERSION: '1.6',
    };
    assert.deepEqual(
      resolve({ environment }).diagnostics.map((d) => [d.code, d.message]),
      [
        ['parameter-repeated', 'parameter PARAM_EXCLUDE_1 is given twice: as ARGOCD_APP_PARAMETERS[0] and as PARAM_EXCLUDE_1 with another value'],
        ['parameter-repeated', 'parameter PARAM_EXCLUDE_2 is given twice: as ARGOCD_APP_PARAMETERS[0] and as PARAM_EXCLUDE_2 with another value'],
        ['parameter-repeated', 'parameter PARAM_ROLLOUTS_VERSION is given twice: as ARGOCD_APP_PARAMETERS[1] and as PARAM_ROLLOUTS_VERSION with another value'],
      ],
    );
    const agreeing = { ...environment, PARAM_EXCLUDE_1: 'b', PARAM_EXCLUDE_2: undefined, PARAM_ROLLOUTS_VERSION: '1.8' };
    assert.deepEqual(resolve({ environment: agreeing }).diagnostics, [], 'what Argo CD derives is no second value');
  });

  test('an array item given twice as PARAM_* (PARAM_EXCLUDE_1 and PARAM_EXCLUDE_01) is an error naming both', () => {
    const d = single(resolve({ environment: { PARAM_EXCLUDE_0: 'a', PARAM_EXCLUDE_1: 'b', PARAM_EXCLUDE_01: 'c' } }).diagnostics);
    assert.equal(d.code, 'parameter-repeated');
    assert.equal(d.message, 'item 1 of PARAM_EXCLUDE_<i> is given twice: as PARAM_EXCLUDE_01 and as PARAM_EXCLUDE_1');
  });

  test('unknown PARAM_* variables', () => {
    const d = single(resolve({ environment: { PARAM_ROLLOUTSVERSION: '1.6' } }).diagnostics);
    assert.equal(d.code, 'unknown-setting');
    assert.equal(d.message, 'PARAM_ROLLOUTSVERSION: not a parameter of this plugin');
    assert.equal(d.hint, 'did you mean PARAM_ROLLOUTS_VERSION?');
  });
});

describe('Application env', () => {
  test('list values split at commas outside braces: `*.{test,fixture}.yaml` is one glob', () => {
    const { settings, diagnostics } = resolve({ environment: { ARGOCD_ENV_CANARY_MAPPING_EXCLUDE: '*.{test,fixture}.yaml, tests/{a,{b,c}}/** ,x.yaml' } });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(settings.exclude, ['*.{test,fixture}.yaml', 'tests/{a,{b,c}}/**', 'x.yaml']);
  });

  test('list values split at commas outside character classes, as the glob reads the class: `x[,]y.yaml` is one glob', () => {
    const cases: [string, string[]][] = [
      ['x[,]y.yaml,b.yaml', ['x[,]y.yaml', 'b.yaml']],
      // A brace in a class is a literal brace, as the hint for unbalanced braces says.
      ['a[{].yaml,b.yaml', ['a[{].yaml', 'b.yaml']],
      ['{a,[}]}.yaml,c', ['{a,[}]}.yaml', 'c']],
      ['[!,].yaml,d', ['[!,].yaml', 'd']],
      // Not a valid class, so `[` is an ordinary character in the glob and the comma separates.
      ['[z-a,b', ['[z-a', 'b']],
    ];
    for (const [value, exclude] of cases) {
      const { settings, diagnostics } = resolve({ environment: { ARGOCD_ENV_CANARY_MAPPING_EXCLUDE: value } });
      assert.deepEqual(diagnostics, [], value);
      assert.deepEqual(settings.exclude, exclude, value);
    }
    const excluded = compileGlobs(resolve({ environment: { ARGOCD_ENV_CANARY_MAPPING_EXCLUDE: 'x[,]y.yaml,a[{].yaml' } }).settings.exclude);
    assert.deepEqual(['x,y.yaml', 'a{.yaml', 'x.yaml'].map(excluded), [true, true, false]);
  });

  test('unbalanced braces in a glob are an error naming the source, from env, a parameter or the config file', () => {
    const fromEnv = (value: string) => resolve({ environment: { ARGOCD_ENV_CANARY_MAPPING_EXCLUDE: value } }).diagnostics.map((d) => [d.code, d.message]);
    assert.deepEqual(fromEnv('*.{test,yaml}},ok.yaml'), [
      ['invalid-setting', 'item 0 of ARGOCD_ENV_CANARY_MAPPING_EXCLUDE: invalid value "*.{test,yaml}}": `}` at character 14 closes no `{` (match a literal brace with [}])'],
    ]);
    assert.deepEqual(fromEnv('ok.yaml,*.{test,yaml'), [
      ['invalid-setting', 'item 1 of ARGOCD_ENV_CANARY_MAPPING_EXCLUDE: invalid value "*.{test,yaml": a `{` is never closed (match a literal brace with [{])'],
    ]);
    const fromParameter = single(resolve({ environment: { PARAM_EXCLUDE_0: 'a}' } }).diagnostics);
    assert.match(fromParameter.message, /^item 0 of PARAM_EXCLUDE_<i>: invalid value "a}": `}` at character 2 closes no `{`/);
    const fromConfig = single(resolve({ config: 'exclude:\n  - ok.yaml\n  - "{a,b"\n' }).diagnostics);
    assert.equal(fromConfig.location && formatLocation(fromConfig.location), `${CONFIG}:3:5`);
    assert.match(fromConfig.message, /a `\{` is never closed/);
  });

  test('globs over the complexity bounds are errors naming the setting: length, `**` count, brace depth', () => {
    const cases: [string, RegExp][] = [
      ['a'.repeat(257), /a glob is at most 256 characters long; this one has 257/],
      ['**/'.repeat(9), /a glob has at most 8 `\*\*`/],
      [`${'{a,'.repeat(9)}b${'}'.repeat(9)}`, /braces nest at most 8 deep in a glob/],
      ['{'.repeat(5000), /a glob is at most 256 characters long/],
    ];
    for (const [glob, message] of cases) {
      const d = single(resolve({ flags: { exclude: [glob] } }).diagnostics);
      assert.equal(d.code, 'invalid-setting');
      assert.match(d.message, /^item 0 of flag --exclude: /);
      assert.match(d.message, message);
      assert.match(d.hint ?? '', /^Exclude: globs such as `tests\/\*\*`: a glob has at most 256 characters, 8 `\*\*` and 8 levels of braces/);
    }
    const limit = '**/'.repeat(8) + `${'{a,'.repeat(8)}b${'}'.repeat(8)}`;
    assert.deepEqual(resolve({ flags: { exclude: [limit, 'x'.repeat(256)] } }).diagnostics, [], 'globs at the bounds are accepted');
  });

  test('other ARGOCD_ENV_* variables belong to the user', () => {
    assert.deepEqual(resolve({ environment: { ARGOCD_ENV_FOO: 'x', ARGOCD_ENV_CANARY: 'y' } }).diagnostics, []);
  });

  test('unknown ARGOCD_ENV_CANARY_MAPPING_* variables', () => {
    const d = single(resolve({ environment: { ARGOCD_ENV_CANARY_MAPPING_EXCLUDES: 'a' } }).diagnostics);
    assert.equal(d.code, 'unknown-setting');
    assert.equal(d.message, 'ARGOCD_ENV_CANARY_MAPPING_EXCLUDES: not a setting of this plugin');
    assert.equal(d.hint, 'did you mean ARGOCD_ENV_CANARY_MAPPING_EXCLUDE?');
  });

  test('a lower-case name is caught, not ignored', () => {
    const d = single(resolve({ environment: { ARGOCD_ENV_canary_mapping_rollouts_version: '1.6' } }).diagnostics);
    assert.equal(d.code, 'unknown-setting');
    assert.equal(d.hint, 'did you mean ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION?');
  });
});

describe('invalid values name their source, the value and what was expected', () => {
  const cases: { input: Parameters<typeof resolve>[0]; message: string }[] = [
    {
      input: { flags: { rolloutsVersion: '0.9' } },
      message: 'flag --rollouts-version: invalid value "0.9": Ambassador traffic routing needs Argo Rollouts 1.0 or later',
    },
    {
      input: { flags: { exclude: ['a', ''] } },
      message: 'item 1 of flag --exclude: invalid value "": expected a non-empty glob',
    },
    {
      input: { environment: { ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: 'latest' } },
      message: 'ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: invalid value "latest": expected `any` or a version MAJOR.MINOR[.PATCH] such as 1.6 or 1.8.3',
    },
    {
      input: { environment: { ARGOCD_APP_PARAMETERS: appParameters({ name: 'strategy', string: 'blue-green' }) } },
      message: 'parameter strategy in ARGOCD_APP_PARAMETERS: invalid value "blue-green": expected one of "clone-safe", "guarded"',
    },
    {
      input: { environment: { PARAM_AMBASSADOR_API_VERSION: 'v3' } },
      message:
        'PARAM_AMBASSADOR_API_VERSION: invalid value "v3": expected one of "getambassador.io/v2", "getambassador.io/v3alpha1", "x.getambassador.io/v3alpha1"',
    },
    {
      input: { environment: { PARAM_EXCLUDE_0: 'a', PARAM_EXCLUDE_1: '' } },
      message: 'item 1 of PARAM_EXCLUDE_<i>: invalid value "": expected a non-empty glob',
    },
  ];
  for (const { input, message } of cases) {
    test(message, () => {
      const d = single(resolve(input).diagnostics);
      assert.equal(d.code, 'invalid-setting');
      assert.equal(d.message, message);
      assert.equal(d.location, undefined);
      assert.ok(d.hint && d.hint.length > 0);
    });
  }

  test('one value failing two rules is reported once', () => {
    const d = single(resolve({ flags: { rolloutsVersion: '0.x' } }).diagnostics);
    assert.match(d.message, /expected `any` or a version/);
  });

  test('a repeated flag for a string setting', () => {
    const d = single(resolve({ flags: { rolloutsVersion: ['1.6', '1.7'] } }).diagnostics);
    assert.equal(d.code, 'setting-collection-mismatch');
    assert.equal(d.message, 'flag --rollouts-version: given 2 times; expected one value');
  });

  test('every problem in every source is reported, even where a higher source wins', () => {
    const { diagnostics } = resolve({
      flags: { rolloutsVersion: '1.6' },
      environment: {
        ARGOCD_APP_PARAMETERS: '[',
        PARAM_NOPE: 'x',
        ARGOCD_ENV_CANARY_MAPPING_ROLLOUTS_VERSION: 'bad',
        ARGOCD_ENV_CANARY_MAPPING_NOPE: 'x',
      },
      config: 'rolloutsVersion: bad\nnope: 1\n',
    });
    assert.deepEqual(
      diagnostics.map((d) => `${d.location ? formatLocation(d.location) + ' ' : ''}${d.code}`),
      [
        'parameters-malformed',
        'unknown-setting',
        'unknown-setting',
        'invalid-setting',
        `${CONFIG}:1:18 invalid-setting`,
        `${CONFIG}:2:1 unknown-setting`,
      ],
    );
  });
});

describe('config file', () => {
  function problems(text: string) {
    return parseConfigFile(CONFIG, text).diagnostics.map((d) => ({ at: d.location && formatLocation(d.location), code: d.code, message: d.message, hint: d.hint }));
  }

  test('values and comments', () => {
    assert.deepEqual(parseConfigFile(CONFIG, '# app settings\nrolloutsVersion: "1.6" # the controller we run\nexclude: [tests/**]\n'), {
      values: { rolloutsVersion: '1.6', exclude: ['tests/**'] },
      mappings: {},
      diagnostics: [],
    });
  });

  test('empty, comments only, a bare --- or ~ set nothing', () => {
    for (const text of ['', '# nothing yet\n', '---\n', '~\n']) assert.deepEqual(parseConfigFile(CONFIG, text), { values: {}, mappings: {}, diagnostics: [] });
  });

  test('wrong types, bad values and unknown keys at their exact line:column', () => {
    const text = [
      '# settings',
      'rolloutsVersion: 1.10',
      'exclude:',
      '  - tests/**',
      '  - ""',
      'strategy:   blue-green',
      'rollouts-version: "1.6"',
      'legacyTlsContext: [a]',
      '',
    ].join('\n');
    assert.deepEqual(problems(text), [
      {
        at: `${CONFIG}:2:18`,
        code: 'invalid-setting',
        message: 'rolloutsVersion: invalid value 1.1: expected a string',
        hint: 'YAML reads 1.10 as a number; quote it: "1.10"',
      },
      { at: `${CONFIG}:5:5`, code: 'invalid-setting', message: 'exclude[1]: invalid value "": expected a non-empty glob', hint: 'Exclude: globs such as `tests/**`: a glob has at most 256 characters, 8 `**` and 8 levels of braces, and its braces pair up; there are at most 64 globs, with at most 1024 characters together' },
      {
        at: `${CONFIG}:6:13`,
        code: 'invalid-setting',
        message: 'strategy: invalid value "blue-green": expected one of "clone-safe", "guarded"',
        hint: 'Strategy: `clone-safe` or `guarded`',
      },
      { at: `${CONFIG}:7:1`, code: 'unknown-setting', message: 'rollouts-version: unknown key; expected a setting', hint: 'did you mean rolloutsVersion?' },
      {
        at: `${CONFIG}:8:19`,
        code: 'invalid-setting',
        message: 'legacyTlsContext: invalid value ["a"]: expected a string',
        hint: 'TLSContext for moved schemes: a TLSContext name (lower-case letters, digits and -), or empty for none',
      },
    ]);
  });

  test('a string where a list is expected', () => {
    assert.deepEqual(problems('exclude: tests/**\n').map((p) => [p.at, p.message]), [[`${CONFIG}:1:10`, 'exclude: invalid value "tests/**": expected a list']]);
  });

  test('an empty value', () => {
    const [p] = problems('rolloutsVersion:\n');
    assert.equal(p?.message, 'rolloutsVersion: invalid value null: expected a string');
    assert.equal(p?.at, `${CONFIG}:1:17`);
    assert.equal(p?.hint, 'Argo Rollouts version: `any`, or a version MAJOR.MINOR[.PATCH] such as `1.6` or `1.8.3` (1.0 or later)');
  });

  test('a boolean where a string is expected', () => {
    assert.equal(problems('legacyTlsContext: true\n')[0]?.hint, 'YAML reads true as a boolean; quote it: "true"');
  });

  test('YAML syntax errors', () => {
    const [p] = problems('exclude: [a\nstrategy: clone-safe\n');
    assert.equal(p?.code, 'config-syntax');
    assert.match(p?.message ?? '', /^YAML: /);
    assert.equal(p?.at, `${CONFIG}:2:1`);
  });

  test('a duplicate key', () => {
    assert.deepEqual(problems('exclude: []\nexclude: [a]\n').map((p) => [p.at, p.code, p.message]), [
      [`${CONFIG}:2:1`, 'config-syntax', 'YAML: Map keys must be unique'],
    ]);
  });

  test('an unresolved alias does not throw', () => {
    assert.deepEqual(problems('exclude: *globs\n').map((p) => [p.at, p.code]), [[`${CONFIG}:1:1`, 'config-syntax']]);
  });

  test('a document that is not a map', () => {
    assert.deepEqual(problems('# list\n- rolloutsVersion: "1.6"\n').map((p) => [p.at, p.code, p.message]), [
      [`${CONFIG}:2:1`, 'config-not-a-map', 'the document is a list; expected a map of settings'],
    ]);
    assert.equal(problems('clone-safe\n')[0]?.message, 'the document is a string; expected a map of settings');
  });

  test('more than one document', () => {
    assert.deepEqual(problems('strategy: clone-safe\n---\nexclude: []\n').map((p) => [p.at, p.code]), [[`${CONFIG}:2:1`, 'config-multiple-documents']]);
  });

  test('through resolveSettings, with the path given', () => {
    const { diagnostics } = resolveSettings({ flags: {}, environment: {}, configFile: { path: 'apps/web/.canary-mapping.yaml', text: 'exclude: [1]\n' } });
    assert.deepEqual(diagnostics[0]?.location, { file: 'apps/web/.canary-mapping.yaml', line: 1, column: 11 });
  });
});

test('the announcement lists every setting with its default under its collection type', () => {
  const announcement = parameterAnnouncement();
  assert.deepEqual(
    announcement.map(({ name, collectionType, string, array }) => ({ name, collectionType, string, array })),
    [
      { name: 'strategy', collectionType: 'string', string: 'clone-safe', array: undefined },
      { name: 'rollouts-version', collectionType: 'string', string: 'any', array: undefined },
      { name: 'ambassador-api-version', collectionType: 'string', string: 'getambassador.io/v2', array: undefined },
      { name: 'legacy-tls-context', collectionType: 'string', string: '', array: undefined },
      { name: 'service-namespace', collectionType: 'string', string: 'mapping', array: undefined },
      { name: 'guard-policy', collectionType: 'string', string: 'omit', array: undefined },
      { name: 'rollouts-service-account', collectionType: 'string', string: 'argo-rollouts/argo-rollouts', array: undefined },
      { name: 'exclude', collectionType: 'array', string: undefined, array: [] },
      { name: 'source', collectionType: 'string', string: 'auto', array: undefined },
      { name: 'kustomize-path', collectionType: 'string', string: '', array: undefined },
      { name: 'kustomize-args', collectionType: 'array', string: undefined, array: [] },
      { name: 'kustomize-timeout', collectionType: 'string', string: '45', array: undefined },
      { name: 'max-file-size', collectionType: 'string', string: '16Mi', array: undefined },
      { name: 'max-total-size', collectionType: 'string', string: '64Mi', array: undefined },
      { name: 'max-documents', collectionType: 'string', string: '10000', array: undefined },
      { name: 'max-aliases', collectionType: 'string', string: '100', array: undefined },
      { name: 'max-expanded-size', collectionType: 'string', string: '16Mi', array: undefined },
      { name: 'max-depth', collectionType: 'string', string: '100', array: undefined },
    ],
  );
  assert.ok(announcement.every((parameter) => parameter.title && parameter.tooltip && !parameter.tooltip.includes('`')));
});
