/**
 * What apply reports while it runs. The engine emits one event per change (and one `failed` per provider
 * step that failed, such as a reload; one `settled` per provider step owed by an earlier apply that ran
 * now); views print them, and `Tally` counts them for the summary line.
 */
export type ApplyEventType = 'created' | 'updated' | 'deleted' | 'unchanged' | 'settled' | 'failed';

export interface ApplyEvent {
  readonly type: ApplyEventType;
  /** A resource address, or a backend name for provider-wide steps (`prometheus`: the reload). */
  readonly address: string;
  /** Why it failed, or a note (`already gone`). */
  readonly detail?: string;
}

export interface Recorder {
  record(event: ApplyEvent): void;
}

export interface ApplyCounts {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
  readonly settled: number;
  readonly failed: number;
}

/** Counts events and keeps the failures, for the summary and the failure list at the end. */
export class Tally implements Recorder {
  private readonly counts = { created: 0, updated: 0, deleted: 0, unchanged: 0, settled: 0, failed: 0 };
  readonly failures: ApplyEvent[] = [];

  constructor(private readonly next?: Recorder) {}

  record(event: ApplyEvent): void {
    this.counts[event.type]++;
    if (event.type === 'failed') this.failures.push(event);
    this.next?.record(event);
  }

  get result(): ApplyCounts {
    return { ...this.counts };
  }
}
