/**
 * Base layouts: the parts of a dashboard that are a matter of taste (time range, refresh, panel sizes,
 * colours, legends) and that a team may replace with its own files. The compiler owns everything derived
 * from the model (queries, thresholds from objectives and burn factors, titles, ids, positions).
 */
import type { JsonObject } from './json.js';

/** Width of Grafana's grid. */
export const GRID_COLUMNS = 24;

export interface PanelDefaults {
  /** Grafana panel type (`stat`, `timeseries`, `bargauge`, `state-timeline`, `table`). */
  readonly type: string;
  readonly width: number;
  readonly height: number;
  /** Every other key of the panel default (options, fieldConfig...): the base the compiler merges onto. */
  readonly body: JsonObject;
}

export interface DashboardLayout {
  /** File the layout was read from, for diagnostics. */
  readonly file: string;
  /** Dashboard-level defaults (time, refresh, annotations...). */
  readonly dashboard: JsonObject;
  /** Service dashboards only: whether SLO rows start collapsed. */
  readonly rowsCollapsed: boolean;
  /** Panel kinds in placement order; kinds left out are not drawn. */
  readonly panelOrder: readonly string[];
  readonly panels: ReadonlyMap<string, PanelDefaults>;
}

export interface Layouts {
  readonly service: DashboardLayout;
  readonly overview: DashboardLayout;
}

export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Places panels left to right from row `top`, wrapping to a new line when a panel does not fit in the
 * remaining columns. Returns the positions and the first free row below them. Explicit positions (rather
 * than leaving it to Grafana's gravity) keep the output stable and reviewable.
 */
export function flowLayout(sizes: readonly { width: number; height: number }[], top: number): { positions: GridPos[]; bottom: number } {
  const positions: GridPos[] = [];
  let x = 0;
  let y = top;
  let lineHeight = 0;
  for (const { width, height } of sizes) {
    const w = Math.min(Math.max(1, width), GRID_COLUMNS);
    if (x + w > GRID_COLUMNS) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    positions.push({ h: height, w, x, y });
    x += w;
    lineHeight = Math.max(lineHeight, height);
  }
  return { positions, bottom: y + lineHeight };
}
