// The settings block of docs/settings.md, generated from the settings table (test/settings-drift.test.ts keeps it in
// step).
import { environmentName, parameterName, settingKeys, settingsTable } from '../../src/settings/table.js';

/** Text made safe for one cell of a Markdown table. */
export function markdownCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The settings table of docs/settings.md. */
export function renderSettingsMarkdown(): string {
  const rows = settingKeys.map((key) => {
    const { title, description, default: value } = settingsTable[key];
    const shown = typeof value === 'string' && value !== '' ? value : JSON.stringify(value);
    const cells = [title, `\`${parameterName(key)}\``, `\`--${parameterName(key)}\``, `\`${environmentName(key)}\``, `\`${key}\``, `\`${shown}\``, description];
    return `| ${cells.map(markdownCell).join(' | ')} |`;
  });
  return [
    '| Setting | Parameter | Flag | Application env | Config key | Default | Description |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The page that holds the generated settings block. */
export const SETTINGS_PAGE = 'docs/settings.md';

const SETTINGS_BLOCK = /^<!-- settings:begin -->\n[\s\S]*?^<!-- settings:end -->$/m;

/** A page with its settings block regenerated; undefined when it lacks the marker lines. */
export function withSettingsBlock(page: string): string | undefined {
  if (!SETTINGS_BLOCK.test(page)) return undefined;
  // A function replacement: `$` in a description must not act as a replacement pattern.
  return page.replace(SETTINGS_BLOCK, () => `<!-- settings:begin -->\n\n${renderSettingsMarkdown()}\n<!-- settings:end -->`);
}
