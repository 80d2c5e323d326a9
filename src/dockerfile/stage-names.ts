// Stage lookup by name, as `FROM <stage>`, `COPY --from=` and `RUN --mount=from=` do it: names ignore
// case and the first stage of a name wins. One map per parsed file, so that a file whose every stage names
// another costs one pass over the stages instead of one pass per reference.
import { AttachedCache } from '../core/attached-cache.js';
import type { Dockerfile } from './types.js';

const indexes = new AttachedCache<Dockerfile, Map<string, number>>();

/** Index of the first stage named `name` (any case), or undefined when no stage is. */
export function firstStageNamed(dockerfile: Dockerfile, name: string): number | undefined {
  let byName = indexes.get(dockerfile);
  if (!byName) {
    byName = new Map();
    for (const stage of dockerfile.stages) {
      const key = stage.name?.toLowerCase();
      if (key !== undefined && !byName.has(key)) byName.set(key, stage.index);
    }
    indexes.set(dockerfile, byName);
  }
  return byName.get(name.toLowerCase());
}
