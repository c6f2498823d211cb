/**
 * Library API: the same stages the CLI uses, for scripts and other tools.
 */
export { loadModel, modelFromLoaded, type LoadedModel, type LoadOptions } from './pipeline/load-model.js';
export { loadSpecFiles, parseSpecText } from './spec/load.js';
export { validateSpecs } from './validate/index.js';
export { specToModel } from './model/from-spec.js';
export { compileAll, checkTargets, type BuildOutput } from './build/compile-all.js';
export { writeOutput } from './build/write-output.js';
export { backends, findBackend } from './backends/registry.js';
export type { Backend, Resource, OutputFile, CompileResult } from './backends/backend.js';
export type * from './model/types.js';
export { Duration } from './model/duration.js';
export { Objective } from './model/objective.js';
export type { Diagnostic, SourceRange } from './diagnostics/diagnostic.js';
export { defaultBurnWindows, errorRatioThreshold } from './alerting/burn-rate.js';
