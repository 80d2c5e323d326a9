// lastSuccessfulRun against the fake GitHub: the newest successful run of a workflow, none while every
// run failed, and null (not an error) for a workflow the repository does not have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from './platform-fixture.js';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture?.gh.stop();
});

describe('lastSuccessfulRun', () => {
  it('names the newest successful run, ignores failed ones, and is null for an unknown workflow', async () => {
    const platform = fixture.platform();
    const repo = fixture.gh.state.repo('acme', 'api');
    expect(await platform.lastSuccessfulRun('build.yml')).toBeNull();
    repo.dispatchConclusion = 'failure';
    await platform.dispatchWorkflow('build.yml', 'main', {});
    expect(await platform.lastSuccessfulRun('build.yml')).toBeNull();
    repo.dispatchConclusion = 'success';
    await platform.dispatchWorkflow('build.yml', 'main', {});
    const succeeded = repo.workflowRuns.at(-1)!;
    expect(await platform.lastSuccessfulRun('build.yml')).toBe(succeeded.createdAt);
    expect(await platform.lastSuccessfulRun('missing.yml')).toBeNull();
  });
});
