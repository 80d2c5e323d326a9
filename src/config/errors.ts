/** A configuration file that cannot be used; the message names the file, the field and what was expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
