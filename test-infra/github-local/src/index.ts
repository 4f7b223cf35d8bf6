/**
 * github-local: a small GitHub (REST under /api/v3, as GitHub Enterprise) on 127.0.0.1,
 * backed by real git repositories, validated against GitHub's OpenAPI description, with
 * fault injection and call counting.
 *
 * @packageDocumentation
 */
export {
  LocalGitHub,
  type LocalGitHubOptions,
  type LocalRepoSeed,
  type CallRecord,
} from './server';
export {
  FaultInjector,
  type Fault,
  type FaultKind,
  type FaultSpec,
} from './faults';
export { GitRepo, ZERO_SHA, type CommitInfo, type TreeEntry } from './git';
export type { PullRecord } from './objects';
export type { RepoState } from './store';
export type { LocalGitHubApp } from './apps';
export { IMPLEMENTED_OPERATIONS, type OperationId } from './spec';
export { main } from './cli';
