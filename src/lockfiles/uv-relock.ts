// uv.lock: uv is not installed where Dockhand runs (no Debian package; this build has no way to fetch
// it), so the lock is not regenerated and the reason says so: the pull request or `fix` updates
// pyproject.toml only, and uv.lock stays as it was until `uv lock` is run (or a configured workflow
// re-locks).
import type { Relocker } from './request.js';

export const UV_NOT_AVAILABLE =
  'uv is not available where Dockhand runs, so uv.lock was not regenerated: only pyproject.toml was updated; run `uv lock` to bring uv.lock up to date';

export const relockUv: Relocker = () => Promise.resolve({ ok: false, reason: UV_NOT_AVAILABLE });
