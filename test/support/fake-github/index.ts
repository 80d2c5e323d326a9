export {
  startFakeGitHub,
  type CallRecord,
  type FailOptions,
  type FakeGitHub,
  type FakeGitHubOptions,
} from './server.js';
export { FakeGitHubState, type CreateRepoOptions, type InstallationRecord } from './state.js';
export type {
  BranchProtection,
  CheckRunRecord,
  CommitState,
  DispatchRecord,
  FileSpec,
  IssueRecord,
  MergeableState,
  MergeMethod,
  PullRecord,
  RepoSettings,
  ReviewRecord,
  StatusRecord,
} from './repo.js';
