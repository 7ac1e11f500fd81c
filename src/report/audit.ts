// `canary-mapping audit`: the findings as a report, text for people (CI logs, a terminal) and JSON for scripts.
// Base Mappings with findings get a block with what is live, what is declared and what to do; clean and skipped ones
// a line each, so that a clean report stays short.
import type { AuditEntry, AuditResult, AuditSettings, CloneSafeVerdict, Finding } from '../audit/entry.js';
import { formatLocation } from '../diagnostics/diagnostics.js';
import { LOGIC_LABELS } from '../rollouts/controller-logic.js';
import { describeForm } from './explain.js';

function title(entry: AuditEntry): string {
  const rollout = `Rollout ${entry.rollout.namespace}/${entry.rollout.name}`;
  return entry.base ? `${rollout} · Mapping ${entry.base.name}` : rollout;
}

function describeDeclared(entry: AuditEntry): string {
  return entry.declared ? `${entry.declared.url} (${entry.declared.source})` : `unknown: ${entry.undeclared}`;
}

function describeCanary(canary: NonNullable<AuditEntry['canary']>): string {
  const service = canary.service === undefined ? 'no spec.service' : describeForm({ service: canary.service, ...(canary.tls !== undefined ? { tls: canary.tls } : {}) });
  return canary.guarded ? `${service} (emitted by canary-mapping)` : service;
}

/** What generate makes of the live base, in the words of its own outcome. */
function describeCloneSafe(verdict: CloneSafeVerdict): string {
  if (!verdict.ok) {
    if (verdict.refusal === 'needs-guarded') return 'refuses it in clone-safe mode (needs-guarded): the declared canary is not what the controller copies from the base';
    if (verdict.refusal === 'no-clone-safe-form') return 'refuses it in clone-safe mode (no-clone-safe-form): no equivalent base gives every targeted controller the declared canary';
    return `refuses it (${verdict.refusal}): see the findings`;
  }
  return verdict.rewritten ? `rewrites the base to ${describeForm(verdict)}` : 'keeps the base as it is';
}

function formatFinding(finding: Finding): string {
  return `${formatLocation(finding.location)}: finding[${finding.code}]: ${finding.message}`;
}

function block(entry: AuditEntry): string {
  const rows: Array<[string, string]> = [];
  const { base } = entry;
  if (base?.apiVersion) {
    rows.push(['base service', base.service === undefined ? 'none' : describeForm({ service: base.service, ...(base.tls !== undefined ? { tls: base.tls } : {}) })]);
    if (entry.declared || entry.undeclared) rows.push(['declared canary', describeDeclared(entry)]);
    rows.push(['live canary', entry.canary ? describeCanary(entry.canary) : 'none']);
    for (const copy of entry.copies) {
      const outcome = copy.differences.length > 0 ? copy.differences.join(', ') : entry.declared ? 'as declared' : 'not stable';
      rows.push([`${LOGIC_LABELS[copy.logic]} would create`, `${describeForm(copy)} — ${outcome}`]);
    }
    if (entry.cloneSafe) rows.push(['generate', describeCloneSafe(entry.cloneSafe)]);
  }
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  const lines = [
    title(entry),
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...entry.findings.map((finding) => `  ${formatFinding(finding)}`),
    ...(entry.fix ? [`  fix: ${entry.fix}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function line(entry: AuditEntry, targets: string): string {
  if (entry.status === 'skipped') return `${title(entry)}: skipped — canary-mapping.dev/skip is "true"`;
  const declared = describeDeclared(entry);
  if (!entry.canary) return `${title(entry)}: clean — no live canary; ${targets} would create the declared canary ${declared}`;
  const canary = describeCanary(entry.canary);
  return entry.declared ? `${title(entry)}: clean — live canary ${canary} is the declared canary ${declared}` : `${title(entry)}: clean — live canary ${canary} does not point at stable; declared canary ${declared}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function findingCount(result: AuditResult): number {
  return result.entries.reduce((sum, entry) => sum + entry.findings.length, 0);
}

export function auditText(result: AuditResult, settings: AuditSettings): string {
  const targets = result.targeted.map((logic) => LOGIC_LABELS[logic]).join(' and ');
  if (result.entries.length === 0) return 'Nothing to audit: no Rollout in the input routes through Ambassador.\n';
  const header = `Audited for ${targets}, reading Mappings through ${settings.ambassadorApiVersion}.\n`;
  const withFindings = result.entries.filter((entry) => entry.status === 'findings');
  const others = result.entries.filter((entry) => entry.status !== 'findings');
  const skipped = others.filter((entry) => entry.status === 'skipped').length;
  const clean = count(others.length - skipped, 'base Mapping');
  const findings = findingCount(result);
  const skippedNote = skipped > 0 ? `; ${skipped} skipped` : '';
  const cleanNote = others.length - skipped > 0 ? `; ${clean} clean` : '';
  const summary = findings === 0 ? `clean: ${clean} as declared${skippedNote}.\n` : `${count(findings, 'finding')}${cleanNote}${skippedNote}.\n`;
  const lines = others.length > 0 ? [`${others.map((entry) => line(entry, targets)).join('\n')}\n`] : [];
  return [header, ...withFindings.map(block), ...lines, summary].join('\n');
}

export function auditData(result: AuditResult, settings: AuditSettings): unknown {
  return {
    settings: { rolloutsVersion: settings.rolloutsVersion, ambassadorApiVersion: settings.ambassadorApiVersion },
    controllers: result.targeted.map((logic) => LOGIC_LABELS[logic]),
    clean: findingCount(result) === 0,
    findings: findingCount(result),
    mappings: result.entries.map((entry) => ({
      ...entry,
      copies: entry.copies.map((copy) => ({ controller: LOGIC_LABELS[copy.logic], ...copy })),
      findings: entry.findings.map((finding) => ({ ...finding, ...(finding.logic ? { controller: LOGIC_LABELS[finding.logic] } : {}) })),
    })),
  };
}
