// `canary-mapping parameters`: the CMP's dynamic parameter announcement.
import { parameterAnnouncement } from '../cmp/announcement.js';
import { resolveSettings } from '../settings/resolve.js';
import { settingKeys } from '../settings/table.js';
import { locateApp } from './app.js';
import { EXIT_PROBLEMS, failure, type CliIo, type CliResult, type Environment } from './io.js';

export const NOTHING_ANNOUNCED = 'nothing was announced';

/**
 * The dynamic announcement, run by Argo CD in the app directory. Its defaults are what applies where the Application
 * sets no parameter: the app's config file and Application env over the built-in defaults. The parameters themselves
 * are left out, so that a bad one does not hide the form that fixes it; a bad config file or env fails it, as it
 * would fail the render.
 */
export function parameters(environment: Environment, io: CliIo): CliResult {
  const { configFile } = locateApp('.', environment, io);
  if (configFile && 'problem' in configFile) return failure([configFile.problem], EXIT_PROBLEMS, NOTHING_ANNOUNCED);
  const applicationEnv = Object.fromEntries(Object.entries(environment).filter(([name]) => name.startsWith('ARGOCD_ENV_')));
  const { settings, diagnostics } = resolveSettings({ flags: {}, environment: applicationEnv, ...(configFile ? { configFile } : {}) });
  if (diagnostics.length > 0) return failure(diagnostics, EXIT_PROBLEMS, NOTHING_ANNOUNCED);
  return { exitCode: 0, stdout: `${JSON.stringify(parameterAnnouncement(settingKeys, settings), null, 2)}\n`, stderr: '' };
}

