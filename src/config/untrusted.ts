// What a configuration file found in a scanned repository (or an org's `.github` repository) may not
// say. Credentials, mirrors and plain HTTP decide where Dockhand's secrets go and which hosts it asks,
// so they are the operator's (or, for the CLI, the user's own) and never a repository's: a repository
// naming `passwordEnv: PRIVATE_KEY` for its own host would otherwise receive the app's private key.
// Such fields are reported as configuration errors, never silently ignored.
import type { ConfigFile } from './schema.js';
import type { Problem } from './validate.js';

/** Where the app's operator configures registries instead. */
export const APP_HINT =
  'registries are configured by the operator of this Dockhand (DOCKHAND_OPERATOR_CONFIG, see docs/app.md); ' +
  'a repository may only name one by `host`';

/** Where a CLI user configures registries instead. */
export const CLI_HINT =
  'put registries in your own config ($XDG_CONFIG_HOME/dockhand/config.yml or a file given with --config) ' +
  'or log in with `docker login`; a scanned directory may only name one by `host`';

const WHY: Record<string, string> = {
  usernameEnv: 'credentials cannot come from a scanned repository (they would go to any host it names)',
  passwordEnv: 'credentials cannot come from a scanned repository (they would go to any host it names)',
  mirror: 'a scanned repository cannot send lookups to another host',
  insecure: 'a scanned repository cannot switch TLS off',
};

export function untrustedProblems(config: ConfigFile, hint: string): Problem[] {
  const problems: Problem[] = [];
  config.registries?.forEach((entry, index) => {
    for (const field of Object.keys(WHY)) {
      if (entry[field as keyof typeof entry] === undefined) continue;
      problems.push({ path: ['registries', index, field], message: `${WHY[field]}; ${hint}` });
    }
  });
  return problems;
}
