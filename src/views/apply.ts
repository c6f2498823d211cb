/**
 * What `slo apply` prints while it runs: one line per change as it completes (plain, for CI logs), plus
 * on an interactive terminal a progress line that is redrawn in place. Unchanged objects are counted,
 * not listed. At the end, every failure, then the summary line, which is an API (snapshot-tested):
 *   `Apply complete: N created, M updated, K deleted.`
 *   `Apply failed: F failures; N created, M updated, K deleted.`
 */
import type { ApplyCounts, ApplyEvent, Recorder } from '../plan/events.js';
import type { View } from './view.js';

const LABEL: Record<ApplyEvent['type'], string> = {
  created: '+ created',
  updated: '~ updated',
  deleted: '- deleted',
  unchanged: '  unchanged',
  settled: '~ settled',
  failed: '! failed',
};

export function formatApplyEvent(e: ApplyEvent): string {
  const detail = e.detail ? (e.type === 'failed' ? `: ${e.detail}` : ` (${e.detail})`) : '';
  return `${LABEL[e.type].padEnd(11)} ${e.address}${detail}`;
}

/** Prints events as they come. `total` is the number of changes that do something. */
export class ApplyProgress implements Recorder {
  private done = 0;
  private readonly live: boolean;

  constructor(
    private readonly view: View,
    private readonly total: number,
  ) {
    this.live = Boolean(view.streams.out.isTTY) && !view.isCI;
  }

  record(event: ApplyEvent): void {
    if (event.type === 'unchanged') return;
    this.done++;
    this.clear();
    this.view.out(formatApplyEvent(event));
    if (this.live && this.done < this.total) this.view.streams.out.write(`Applying… ${this.done}/${this.total}`);
  }

  /** Removes the progress line before the summary. */
  end(): void {
    this.clear();
  }

  private clear(): void {
    if (this.live) this.view.streams.out.write('\r\x1b[2K');
  }
}

export function applySummaryLine(counts: ApplyCounts): string {
  const tail = `${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted.`;
  if (counts.failed === 0) return `Apply complete: ${tail}`;
  // Failures include provider-wide steps (a reload), so they are not counted as "of N changes".
  return `Apply failed: ${counts.failed} failure${counts.failed === 1 ? '' : 's'}; ${tail}`;
}

/** Every failure again (they may have scrolled by), then the summary line. */
export function showApplyResult(view: View, counts: ApplyCounts, failures: readonly ApplyEvent[]): void {
  if (failures.length > 0) {
    view.err('');
    view.err(`Failed:`);
    for (const f of failures) view.err(`  ${f.address}: ${f.detail ?? 'failed'}`);
    view.err('');
    view.err(applySummaryLine(counts));
    view.err('Nothing that succeeded is undone; run slo apply again to converge once the cause is fixed.');
    return;
  }
  view.out(applySummaryLine(counts));
}
