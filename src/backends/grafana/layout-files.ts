/**
 * Finds the layout files: the built-in ones in the package's `dashboards/` folder, or a team's own in
 * the folder given with the `grafana-dashboards` option (a file there replaces the built-in file of the
 * same name; missing files fall back to the built-in ones). The only module of this backend that reads files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { assetPath } from '../../assets.js';
import { sourceless, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { InternalError } from '../../diagnostics/errors.js';
import type { BackendOptions } from '../backend.js';
import type { DashboardLayout, Layouts } from './layout.js';
import { parseLayout } from './layout-parse.js';
import { OVERVIEW_PANEL_KINDS } from './overview-panels.js';
import { SLO_PANEL_KINDS } from './slo-panels.js';

/** The backend option naming a folder of layout files. */
export const LAYOUTS_OPTION = 'grafana-dashboards';

const LAYOUT_FILES = {
  service: { file: 'service.json', kinds: SLO_PANEL_KINDS },
  overview: { file: 'overview.json', kinds: OVERVIEW_PANEL_KINDS },
} as const;

export function builtInLayoutPath(which: keyof Layouts): string {
  return assetPath('dashboards', LAYOUT_FILES[which].file);
}

let builtIn: Layouts | undefined;

/** The layouts shipped with slo. A broken built-in layout is a bug, not a user error. */
export function builtInLayouts(): Layouts {
  builtIn ??= {
    service: readBuiltIn('service'),
    overview: readBuiltIn('overview'),
  };
  return builtIn;
}

function readBuiltIn(which: keyof Layouts): DashboardLayout {
  const file = builtInLayoutPath(which);
  const parsed = parseLayout(file, readFileSync(file, 'utf8'), LAYOUT_FILES[which].kinds);
  if (!parsed.layout) throw new InternalError(`built-in Grafana layout ${file} is invalid: ${parsed.diagnostics.map((d) => d.summary).join('; ')}`);
  return parsed.layout;
}

/** The layouts to use for these options; `layouts` is undefined when a team layout has errors. */
export function loadLayouts(options: BackendOptions): { readonly layouts: Layouts | undefined; readonly diagnostics: readonly Diagnostic[] } {
  const dir = options[LAYOUTS_OPTION];
  const defaults = builtInLayouts();
  if (dir === undefined || dir === '') return { layouts: defaults, diagnostics: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { layouts: undefined, diagnostics: [sourceless('grafana-dashboards-not-found', `${LAYOUTS_OPTION}=${dir}: no such directory of Grafana layouts`, 'Give a folder holding service.json and/or overview.json (copies of the files in slo\'s dashboards/ folder).')] };
  }
  const diagnostics: Diagnostic[] = [];
  const known: string[] = Object.values(LAYOUT_FILES).map((f) => f.file);
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json') && !known.includes(f)).sort()) {
    const file = path.join(dir, name);
    diagnostics.push(warning('grafana-layout-unknown-file', `${name} is not a layout slo knows (${known.join(', ')}); it is ignored`, { file, start: { line: 1, col: 1 }, end: { line: 1, col: 1 } }));
  }
  const pick = (which: keyof Layouts): DashboardLayout | undefined => {
    const file = path.join(dir, LAYOUT_FILES[which].file);
    if (!existsSync(file)) return defaults[which];
    const parsed = parseLayout(file, readFileSync(file, 'utf8'), LAYOUT_FILES[which].kinds);
    diagnostics.push(...parsed.diagnostics);
    return parsed.layout;
  };
  const service = pick('service');
  const overview = pick('overview');
  return { layouts: service && overview ? { service, overview } : undefined, diagnostics };
}
