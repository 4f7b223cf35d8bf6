/**
 * argocd-local: a small Argo CD API server on 127.0.0.1 (the Application read endpoints),
 * with Applications rendered from deploy/argocd's ApplicationSet and checked against Argo
 * CD's CRD and API description, states scripted by tests,
 * bearer-token sessions, fault injection and call counting.
 *
 * @packageDocumentation
 */
export {
  LocalArgoCD,
  InvalidApplicationError,
  type LocalArgoCDOptions,
  type ArgoRoute,
  type ArgoFaultSpec,
  type ArgoFaultKind,
  type ArgoCallRecord,
} from './server';
export {
  application,
  states,
  k8sTime,
  sourcesContext,
  SYNC_STATUS_CODES,
  HEALTH_STATUS_CODES,
  OPERATION_PHASES,
  type ArgoApplication,
  type ApplicationOptions,
  type ApplicationStatus,
  type ResourceStatus,
  type StateContext,
  type SyncStatusCode,
  type HealthStatusCode,
  type OperationPhase,
} from './applications';
export { applicationProblems, stopSchemaWorker } from './schema';
export {
  parseSelector,
  matchesSelector,
  SelectorError,
  type Requirement,
} from './selector';
export {
  ApplicationSetSimulator,
  DEFAULT_CHART_REVISION,
  type SimulatorOptions,
} from './simulator';
export {
  loadApplicationSet,
  renderApplications,
  buildRenderer,
  matchesFileGlob,
  ApplicationSetError,
  DEFAULT_APPLICATIONSET_FILE,
  type ApplicationSetDefinition,
  type RenderResult,
} from './appset';
export {
  crdProblems,
  responseProblems,
  queryProblems,
  argoSpecsDir,
  argoSpecsAvailable,
  ARGO_OPERATIONS,
  type ArgoOperation,
} from './specs';
export { main, parseArgs } from './cli';
