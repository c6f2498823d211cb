/**
 * Library API: the same stages the CLI uses, for scripts and other tools.
 */
export { loadModel, modelFromLoaded, type LoadedModel, type LoadOptions } from './pipeline/load-model.js';
export { loadSpecFiles, parseSpecText } from './spec/load.js';
export { validateSpecs } from './validate/index.js';
export { specToModel } from './model/from-spec.js';
export { compileAll, compileTargets, checkTargets, type BuildOutput } from './build/compile-all.js';
export { compileAndWrite, type CompileAndWriteResult } from './build/compile-and-write.js';
export { writeOutput, type WriteSummary } from './build/write-output.js';
export { backends, findBackend } from './backends/registry.js';
export { defineBackend, collectParts, type Backend, type BackendDefinition, type Resource, type OutputFile, type CompileResult } from './backends/backend.js';
export type * from './model/types.js';
export { Duration } from './model/duration.js';
export { Objective } from './model/objective.js';
export type { Diagnostic, SourceRange } from './diagnostics/diagnostic.js';
export { defaultBurnWindows, errorRatioThreshold } from './alerting/burn-rate.js';
