/**
 * The front half of every command: spec files → validated documents → model. Stops before the model if
 * any error was found, so later stages only ever see valid input.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { importDocuments } from '../import/index.js';
import { specToModel } from '../model/from-spec.js';
import type { Model } from '../model/types.js';
import type { SpecDocument } from '../spec/document.js';
import { loadSpecFiles, type LoadedDocument } from '../spec/load.js';
import { checkSchema } from '../spec/schema.js';
import type { SpecV1 } from '../spec/types.js';
import { loadTemplateCatalogue, type TemplateCatalogue } from '../templates/catalogue.js';
import { validateSpecs } from '../validate/index.js';

export interface LoadOptions {
  /** Directories of team SLI templates, besides the built-in ones. */
  readonly templateDirs?: readonly string[];
}

export interface LoadedModel {
  /** Undefined when any error was found. */
  readonly model: Model | undefined;
  readonly documents: readonly SpecDocument[];
  readonly templates: TemplateCatalogue;
  readonly diagnostics: readonly Diagnostic[];
}

export async function loadModel(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedModel> {
  const loaded = await loadSpecFiles(paths);
  return modelFromLoaded(loaded.value, loaded.diagnostics, options);
}

export function modelFromLoaded(loadedDocs: readonly LoadedDocument[], loadDiagnostics: readonly Diagnostic[], options: LoadOptions = {}): LoadedModel {
  const diagnostics: Diagnostic[] = [...loadDiagnostics];
  const templates = loadTemplateCatalogue(options.templateDirs ?? []);
  diagnostics.push(...templates.diagnostics);

  const documents: SpecDocument[] = [];
  for (const doc of loadedDocs.filter((d) => d.format === 'slo/v1')) {
    const schemaErrors = checkSchema(doc);
    diagnostics.push(...schemaErrors);
    if (schemaErrors.length === 0) documents.push(ownDocument(doc));
  }
  const foreign = loadedDocs.filter((d) => d.format !== 'slo/v1');
  if (foreign.length > 0) {
    const imported = importDocuments(foreign);
    documents.push(...imported.value);
    diagnostics.push(...imported.diagnostics);
  }
  diagnostics.push(...validateSpecs(documents, templates.value));

  if (hasErrors(diagnostics)) return { model: undefined, documents, templates: templates.value, diagnostics: sortDiagnostics(diagnostics) };
  const model = specToModel(documents, templates.value);
  diagnostics.push(...model.diagnostics);
  return {
    model: hasErrors(diagnostics) ? undefined : model.value,
    documents,
    templates: templates.value,
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** A loaded slo/v1 document as the validation rules and the model read it. */
export function ownDocument(doc: LoadedDocument): SpecDocument {
  return {
    file: doc.file,
    format: doc.format,
    spec: doc.data as SpecV1,
    locate: (p) => doc.map.locate(p),
    locateKey: (p) => doc.map.locateKey(p),
    locateInScalar: (p, offset, length) => doc.map.locateInScalar(p, offset, length),
  };
}
