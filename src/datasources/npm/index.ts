export {
  ABBREVIATED_ACCEPT,
  DEFAULT_NPM_LIMITS,
  FULL_ACCEPT,
  NpmDatasource,
  type NpmDatasourceOptions,
  type NpmLimits,
  type NpmRequestEvent,
  type NpmRequestKind,
} from './datasource.js';
export type { NpmRegistryConfig } from './auth.js';
export { isValidPackageName, packumentUrl, registryBase } from './names.js';
export { readPackument } from './packument.js';
