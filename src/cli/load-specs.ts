/**
 * The specs a command works on, as every command loads them: the `--templates` folders checked, then
 * the model, and an error when the paths hold no spec at all. An empty folder (or a mistyped one that
 * happens to exist) would otherwise "validate" or "build" nothing and report success.
 */
import { statSync } from 'node:fs';
import { hasErrors, sourceless, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadModel, type LoadedModel } from '../pipeline/load-model.js';

/** Team templates default to ./sli-templates, used when it is a folder. */
export const DEFAULT_TEMPLATE_DIR = 'sli-templates';

/**
 * `templates`: the `--templates` flags as given; each must be a folder. None: ./sli-templates if
 * present.
 */
export async function loadSpecs(paths: readonly string[], templates: readonly string[]): Promise<LoadedModel> {
  const dirs = templateDirs(templates);
  if (dirs.diagnostics.length > 0) return { model: undefined, documents: [], templates: new Map(), diagnostics: dirs.diagnostics };
  const loaded = await loadModel(paths, { templateDirs: dirs.value });
  if (loaded.documents.length > 0 || hasErrors(loaded.diagnostics)) return loaded;
  return { ...loaded, model: undefined, diagnostics: [...loaded.diagnostics, noSpecs(paths)] };
}

function noSpecs(paths: readonly string[]): Diagnostic {
  return sourceless('no-specs', `no spec files found under ${paths.join(', ')}: expected *.yaml files with apiVersion: slo/v1 (or OpenSLO, Sloth); write one with slo init NAME`);
}

function templateDirs(flags: readonly string[]): { value: string[]; diagnostics: Diagnostic[] } {
  if (flags.length === 0) return { value: kind(DEFAULT_TEMPLATE_DIR) === 'folder' ? [DEFAULT_TEMPLATE_DIR] : [], diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  for (const dir of flags) {
    const k = kind(dir);
    if (k === 'missing') diagnostics.push(sourceless('templates-not-found', `--templates ${dir}: no such folder`));
    else if (k === 'file') diagnostics.push(sourceless('templates-not-found', `--templates ${dir} is a file; give the folder that holds the SLI templates`));
  }
  return { value: [...flags], diagnostics };
}

function kind(p: string): 'folder' | 'file' | 'missing' {
  try {
    return statSync(p).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}
