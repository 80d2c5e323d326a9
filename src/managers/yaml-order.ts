// Order in which the YAML-based managers claim files: the scanner gives each file to the FIRST
// manager whose pattern matches (the dockerfile manager comes before all of these). Kubernetes is
// last because its pattern accepts any `.yaml`/`.yml` file.

import type { Manager } from '../core/types.js';
import { manager as compose } from './compose/index.js';
import { manager as githubActions } from './github-actions/index.js';
import { manager as helmValues } from './helm-values/index.js';
import { manager as kubernetes } from './kubernetes/index.js';

export const yamlManagers: readonly Manager[] = [compose, githubActions, helmValues, kubernetes];
