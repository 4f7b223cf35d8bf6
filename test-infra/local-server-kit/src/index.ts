/**
 * local-server-kit: what the local API servers (github-local, argocd-local, ollama-local)
 * share: a typed fault registry, a call log, an HTTP listener that stops with requests
 * left hanging, and the command-line runner.
 *
 * @packageDocumentation
 */
export {
  FaultRegistry,
  type ActiveFault,
  type FaultKindOf,
  type FaultSpecBase,
} from './faults';
export { CallLog, type CallLogOptions, type CallRecordBase } from './calls';
export { LocalHttpServer, type ListenOptions } from './http';
export { parseCliArgs, wholeNumber, portNumber, ownerSlashName } from './args';
export {
  runServerCli,
  prefixedLog,
  untilSignal,
  type ServerCli,
  type ServerCliOptions,
  type StoppableServer,
} from './cli';
