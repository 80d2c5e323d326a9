export { ConfigError } from './errors.js';
export { CONFIG_LOCATIONS, loadConfig, type ConfigLocation, type LoadedConfig } from './load.js';
export { FAILURE_THRESHOLDS, type Config, type FailureThreshold } from './schema.js';
