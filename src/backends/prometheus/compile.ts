/**
 * Model → Prometheus rule groups → files. One file per service holding a Prometheus source:
 * a PrometheusRule object (`operator`, the default, plus a kustomization.yaml listing them) or a plain
 * rule file (`rules`, for Prometheus' rule_files, Mimir, Cortex or Thanos rulers).
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { toYaml } from '../../build/serialize.js';
import { MANAGED_BY_VALUE, limitLength, resourceAddress } from '../../model/conventions.js';
import type { Model, Service, Slo } from '../../model/types.js';
import type { BackendOptions, CompileResult, OutputFile, Resource } from '../backend.js';
import { sloRuleGroups } from './groups.js';
import { readOptions, type PrometheusOptions } from './options.js';
import type { RuleGroup } from './rules.js';
import { prepareSli, type PreparedSli } from './sli-expr.js';

export const BACKEND = 'prometheus';
export const RULE_GROUP_KIND = 'rule-group';
export const KUBERNETES_MANAGED_BY = 'app.kubernetes.io/managed-by';

export interface ServiceRules {
  readonly service: Service;
  readonly groups: readonly RuleGroup[];
}

/** SLOs with a Prometheus source, with the source parsed. Problems with a source are diagnostics. */
export function prometheusSlos(service: Service): { slos: Array<{ slo: Slo; sli: PreparedSli }>; diagnostics: Diagnostic[] } {
  const slos: Array<{ slo: Slo; sli: PreparedSli }> = [];
  const diagnostics: Diagnostic[] = [];
  for (const slo of service.slos) {
    const sli = prepareSli(slo);
    if (sli === undefined) continue;
    if ('error' in sli) diagnostics.push(error('prometheus-invalid-sli', `${slo.id}: ${sli.error}`, slo.fieldSources.sli ?? slo.source, { address: slo.id }));
    else slos.push({ slo, sli });
  }
  return { slos, diagnostics };
}

/**
 * One part per service with a Prometheus source (its rule file and rule groups), services in model
 * order (by id), SLOs in spec order; then the kustomization listing the files.
 */
export function* prometheusParts(model: Model, rawOptions: BackendOptions): Generator<CompileResult> {
  const { value: options } = readOptions(rawOptions);
  const paths: string[] = [];
  for (const service of model.services) {
    const found = prometheusSlos(service);
    if (found.slos.length === 0) {
      if (found.diagnostics.length > 0) yield { resources: [], files: [], diagnostics: found.diagnostics };
      continue;
    }
    const groups = found.slos.flatMap(({ slo, sli }) => sloRuleGroups(service, slo, sli, options));
    const file = ruleFile({ service, groups }, options);
    paths.push(file.path);
    const resources: Resource[] = groups.map((group) => ({
      address: resourceAddress(BACKEND, RULE_GROUP_KIND, group.name),
      backend: BACKEND,
      kind: RULE_GROUP_KIND,
      id: group.name,
      service: service.id,
      body: group,
    }));
    yield { resources, files: [file], diagnostics: found.diagnostics };
  }
  if (options.format === 'operator' && paths.length > 0) yield { resources: [], files: [kustomization(paths)], diagnostics: [] };
}

export function ruleFileName(serviceId: string, options: PrometheusOptions): string {
  return options.format === 'operator' ? `${serviceId}.yaml` : `${serviceId}.rules.yaml`;
}

function ruleFile({ service, groups }: ServiceRules, options: PrometheusOptions): OutputFile {
  const path = ruleFileName(service.id, options);
  if (options.format === 'rules') return { path, content: toYaml({ groups }) };
  return {
    path,
    content: toYaml({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: limitLength(`slo-${service.id}`, 253),
        labels: { ...options.ruleLabels, [KUBERNETES_MANAGED_BY]: MANAGED_BY_VALUE },
      },
      spec: { groups },
    }),
  };
}

function kustomization(paths: readonly string[]): OutputFile {
  return {
    path: 'kustomization.yaml',
    content: toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: paths,
    }),
  };
}
