// Canary URL templates such as `https://{{canaryService}}.{{namespace}}:8443`. A template is substituted into a
// parsed string value (a config entry or an annotation), never into YAML text, so a value cannot add structure.

export const TEMPLATE_VARIABLES = ['stableService', 'canaryService', 'namespace', 'scheme', 'port', 'host', 'mapping', 'rollout'] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

type Part = { literal: string } | { variable: TemplateVariable };

export type TemplateResult = { ok: true; parts: Part[] } | { ok: false; problem: string };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/y;

export function parseTemplate(text: string): TemplateResult {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < text.length; ) {
    if (!text.startsWith('{{', i)) {
      literal += text[i++];
      continue;
    }
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(text);
    if (!match) return { ok: false, problem: `unterminated \`{{\` at character ${i + 1} of \`${text}\`` };
    const name = match[1]!;
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
      return { ok: false, problem: `unknown variable \`{{${name}}}\` in \`${text}\`; known: ${TEMPLATE_VARIABLES.join(', ')}` };
    }
    if (literal) parts.push({ literal });
    literal = '';
    parts.push({ variable: name as TemplateVariable });
    i = PLACEHOLDER.lastIndex;
  }
  if (literal) parts.push({ literal });
  return { ok: true, parts };
}

export function renderTemplate(parts: readonly Part[], values: TemplateValues): string {
  return parts.map((part) => ('literal' in part ? part.literal : values[part.variable])).join('');
}
