/**
 * Renders a Plan: human text (terraform-like `+ ~ -`), Markdown for pull-request comments, or the plan
 * JSON. Renderers only read the plan; they compute nothing about the remote state. The summary lines are
 * an API (CI scripts grep them) and are snapshot-tested:
 *   `Plan: N to create, M to update, K to delete.`
 *   `No changes. Remote state matches the specs.`
 * A plan whose only work is a step left over from an earlier apply (a failed reload) says `Plan: 0 to
 * create, …` plus a `Pending from an earlier apply: …` line, never "No changes": applying it does something.
 */
import { stringify } from 'yaml';
import { serializePlan } from '../plan/plan-file.js';
import { hasChanges, type Change, type FieldDiff, type PendingAction, type Plan } from '../plan/types.js';
import type { View } from './view.js';

export type PlanFormat = 'text' | 'markdown' | 'json';

export const NO_CHANGES_LINE = 'No changes. Remote state matches the specs.';

/**
 * GitHub refuses comments over 65,536 characters: the table and the orphan list are cut at a number of
 * rows, and the detailed diff gets what is left of the budget, a single huge change (a new dashboard)
 * included.
 */
export const MARKDOWN_COMMENT_BUDGET = 60_000;
export const MARKDOWN_TABLE_ROWS = 150;

export function planSummaryLine(plan: Pick<Plan, 'summary' | 'pending'>): string {
  if (!hasChanges(plan)) return NO_CHANGES_LINE;
  const s = plan.summary;
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete.`;
}

/** Said whenever provider steps are pending, so a plan with no object changes is not mistaken for empty. */
export function pendingLine(plan: Pick<Plan, 'pending'>): string | undefined {
  const pending = plan.pending ?? [];
  if (pending.length === 0) return undefined;
  return `Pending from an earlier apply: ${pending.map((p) => `${p.backend}: ${p.action}`).join('; ')}.`;
}

/** Said whenever orphans exist, so a forgotten `--prune` is visible. */
export function orphanLine(plan: Pick<Plan, 'summary'>): string | undefined {
  const n = plan.summary.orphaned;
  if (n === 0) return undefined;
  return `${n} orphaned object${n === 1 ? '' : 's'} (owned by slo, declared by no spec) would be deleted with --prune.`;
}

export function showPlan(view: View, plan: Plan, format: PlanFormat): void {
  if (format === 'json') view.out(renderPlanJson(plan));
  else if (format === 'markdown') view.out(renderPlanMarkdown(plan));
  else view.out(renderPlanText(plan));
}

export function renderPlanJson(plan: Plan): string {
  return serializePlan(plan);
}

/** One line of a rendered change: a marker, a nesting depth and the text. */
interface Line {
  readonly marker: '+' | '-' | '~' | '#' | ' ';
  readonly depth: number;
  readonly text: string;
}

export function renderPlanText(plan: Plan): string {
  const out: string[] = [];
  for (const p of plan.providers) out.push(`${p.backend}: ${p.endpoint}`);
  out.push('');
  const visible = plan.changes.filter((c) => c.action !== 'no-op');
  const pending = plan.pending ?? [];
  if (visible.length > 0 || pending.length > 0) {
    out.push('slo will perform the following actions:', '');
    for (const c of visible) {
      out.push(...changeLines(c).map(textLine), '');
    }
    // After the changes, as apply runs them.
    for (const p of pending) out.push(...pendingLines(p).map(textLine), '');
  }
  if (plan.orphans.length > 0) {
    out.push(...orphanLines(plan).map(textLine), '');
  }
  out.push(planSummaryLine(plan));
  const pendingNote = pendingLine(plan);
  if (pendingNote) out.push(pendingNote);
  const orphans = orphanLine(plan);
  if (orphans) out.push(orphans);
  return `${out.join('\n')}\n`;
}

export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [`### slo plan`, '', `**${planSummaryLine(plan)}**`, ''];
  const pendingNote = pendingLine(plan);
  if (pendingNote) out.push(`> ${pendingNote}`, '');
  const orphans = orphanLine(plan);
  if (orphans) out.push(`> ${orphans}`, '');
  const visible = plan.changes.filter((c) => c.action !== 'no-op');
  const pending = plan.pending ?? [];
  if (visible.length > 0 || pending.length > 0) {
    out.push('| | Resource | Action |', '|---|---|---|');
    for (const c of visible.slice(0, MARKDOWN_TABLE_ROWS)) out.push(`| ${MARK[c.action]} | \`${escapeCode(c.address)}\` | ${VERB[c.action]} |`);
    if (visible.length > MARKDOWN_TABLE_ROWS) out.push(`| | … and ${visible.length - MARKDOWN_TABLE_ROWS} more | |`);
    // One row per provider at most, so never cut.
    for (const p of pending) out.push(`| ~ | \`${escapeCode(p.backend)}\` | ${escapeCode(p.action)} (pending from an earlier apply) |`);
    out.push('');
    out.push('<details><summary>Show the changes</summary>', '', '```diff');
  }
  // The orphan list and the footer come after the diff but are sized first: the diff gets the rest.
  const tail: string[] = [];
  if (plan.orphans.length > 0) {
    tail.push(`<details><summary>Orphaned objects (${plan.orphans.length})</summary>`, '');
    for (const o of plan.orphans.slice(0, MARKDOWN_TABLE_ROWS)) tail.push(`- \`${escapeCode(o.address)}\``);
    if (plan.orphans.length > MARKDOWN_TABLE_ROWS) tail.push(`- … and ${plan.orphans.length - MARKDOWN_TABLE_ROWS} more`);
    tail.push('', '</details>', '');
  }
  tail.push(`<sub>${plan.providers.map((p) => `${p.backend}: ${escapeHtml(p.endpoint)}`).join(' · ')}</sub>`);
  if (visible.length > 0 || pending.length > 0) {
    const diffBudget = MARKDOWN_COMMENT_BUDGET - sizeOf(out) - sizeOf(tail) - 2_000; // room for the closing lines
    out.push(...diffWithin(visible, diffBudget));
    for (const p of pending) out.push(...pendingLines(p).map(diffLine), '');
    if (out[out.length - 1] === '') out.pop();
    out.push('```', '', '</details>', '');
  }
  out.push(...tail);
  return `${out.join('\n')}\n`;
}

/** The changes' diff lines, as many as fit in `budget` characters; a change too long on its own is cut. */
function diffWithin(changes: readonly Change[], budget: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (const [i, c] of changes.entries()) {
    const lines = [...changeLines(c).map(diffLine), ''];
    const needed = sizeOf(lines);
    if (size + needed > budget) {
      if (i === 0) {
        // Even the first change does not fit: show its head, as much as fits.
        for (const line of lines) {
          if (size + line.length + 1 > budget) break;
          out.push(line);
          size += line.length + 1;
        }
        out.push('# … the rest of this change is not shown: too long for a comment.');
      }
      const left = i === 0 ? changes.length - 1 : changes.length - i;
      if (left > 0) out.push(`# … ${left} more change${left === 1 ? '' : 's'} not shown: too long for a comment. Run slo plan for the full plan.`);
      out.push('');
      return out;
    }
    out.push(...lines);
    size += needed;
  }
  return out;
}

function sizeOf(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
}

const MARK = { create: '+', update: '~', delete: '-', 'no-op': ' ' } as const;
const VERB = { create: 'create', update: 'update in place', delete: 'delete', 'no-op': 'no change' } as const;
const WILL = { create: 'will be created', update: 'will be updated in place', delete: 'will be deleted', 'no-op': 'is unchanged' } as const;

function changeLines(c: Change): Line[] {
  const lines: Line[] = [
    { marker: '#', depth: 0, text: `${c.address} ${WILL[c.action]}` },
    { marker: MARK[c.action], depth: 0, text: c.address },
  ];
  if (c.action === 'create' && c.after) lines.push(...valueLines('+', 2, c.after.body));
  if (c.action === 'update') for (const f of c.fields) lines.push(...fieldLines(f));
  return lines;
}

function pendingLines(p: PendingAction): Line[] {
  return [
    { marker: '#', depth: 0, text: `${p.backend}: ${p.reason}` },
    { marker: '~', depth: 0, text: `${p.backend}: ${p.action}` },
  ];
}

function orphanLines(plan: Plan): Line[] {
  const n = plan.orphans.length;
  return [
    { marker: '#', depth: 0, text: `orphaned: ${n === 1 ? 'carries' : `${n} objects carry`} slo's ownership mark but no spec declares ${n === 1 ? 'it' : 'them'}; --prune would delete ${n === 1 ? 'it' : 'them'}:` },
    ...plan.orphans.map((o) => ({ marker: ' ', depth: 1, text: o.address }) as Line),
  ];
}

function fieldLines(f: FieldDiff): Line[] {
  if (f.action === 'change') {
    if (isInline(f.before) && isInline(f.after)) return [{ marker: '~', depth: 2, text: `${f.path}: ${inline(f.before)} → ${inline(f.after)}` }];
    if (typeof f.before === 'string' && typeof f.after === 'string') {
      return [{ marker: '~', depth: 2, text: `${f.path}:` }, ...lineDiff(f.before.split('\n'), f.after.split('\n')).map((l) => ({ ...l, depth: 4 }))];
    }
    return [{ marker: '~', depth: 2, text: `${f.path}:` }, ...valueLines('-', 4, f.before), ...valueLines('+', 4, f.after)];
  }
  const marker = f.action === 'add' ? '+' : '-';
  const value = f.action === 'add' ? f.after : f.before;
  if (isInline(value)) return [{ marker, depth: 2, text: `${f.path}: ${inline(value)}` }];
  return [{ marker, depth: 2, text: `${f.path}:` }, ...valueLines(marker, 4, value)];
}

/** A value as YAML lines (a multi-line string as its own lines), all with the same marker. */
function valueLines(marker: Line['marker'], depth: number, value: unknown): Line[] {
  if (typeof value === 'string') return value.split('\n').map((t) => ({ marker, depth, text: t }));
  const text = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '');
  return text.split('\n').map((t) => ({ marker, depth, text: t }));
}

/** Line-level diff of two texts (longest common subsequence): unchanged lines keep a blank marker. */
function lineDiff(a: readonly string[], b: readonly string[]): Line[] {
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ marker: ' ', depth: 0, text: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ marker: '-', depth: 0, text: a[i++]! });
    } else {
      out.push({ marker: '+', depth: 0, text: b[j++]! });
    }
  }
  return out;
}

function isInline(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && !v.includes('\n'));
}

function inline(v: unknown): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}

function textLine(l: Line): string {
  return `${'  '.repeat(l.depth + 1)}${l.marker} ${l.text}`.trimEnd();
}

/** In a ```diff block the marker must be the first character for GitHub to colour the line. */
function diffLine(l: Line): string {
  const marker = l.marker === '~' ? '!' : l.marker;
  return `${marker} ${'  '.repeat(l.depth)}${l.text}`.trimEnd();
}

function escapeCode(s: string): string {
  return s.replace(/`/g, "'").replace(/\|/g, '\\|');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
