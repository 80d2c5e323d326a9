export {
  startFakeGitHub,
  type CallRecord,
  type FailOptions,
  type FakeGitHub,
  type FakeGitHubOptions,
} from './server.js';
export { FakeGitHubState, type CreateRepoOptions, type InstallationRecord } from './state.js';
export type { CheckRunRecord, DispatchRecord, FileSpec, IssueRecord, PullRecord } from './repo.js';
