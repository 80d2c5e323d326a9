// The rule catalog (docs/rules.md is generated from it), in catalog order. DH301 reads what `--resolve`
// recorded on the deps; DH302 judges their tags against the shipped end-of-life data (config/eol.json).
import { rule as secretInArgEnv } from './secret-in-arg-env.js';
import { rule as broadCopyWithoutDockerignore } from './broad-copy-without-dockerignore.js';
import { rule as finalStageRoot } from './final-stage-root.js';
import { rule as numericUid } from './numeric-uid.js';
import { rule as privilegedOrSshPort } from './privileged-or-ssh-port.js';
import { rule as staleBaseDigest } from './stale-base-digest.js';
import { rule as eolBase } from './eol-base.js';
import { rule as sudo } from './sudo.js';
import { rule as updateWithoutInstall } from './update-without-install.js';
import { rule as distUpgrade } from './dist-upgrade.js';
import { rule as tlsOrSignatureDisabled } from './tls-or-signature-disabled.js';
import { rule as untrustedRegistry } from './untrusted-registry.js';
import { rule as curlPipeShell } from './curl-pipe-shell.js';
import { rule as addRemoteUrl } from './add-remote-url.js';
import { rule as contentTrustObsolete } from './content-trust-obsolete.js';
import { rule as nonMinimalFinalBase } from './non-minimal-final-base.js';
import { rule as buildToolsInFinalStage } from './build-tools-in-final-stage.js';
import { rule as packageCacheLeft } from './package-cache-left.js';
import { rule as noInstallRecommends } from './no-install-recommends.js';
import { rule as nonInteractiveInstall } from './non-interactive-install.js';
import { rule as cacheUnfriendlyOrder } from './cache-unfriendly-order.js';
import { rule as consecutiveRun } from './consecutive-run.js';
import { rule as baseUntaggedOrLatest } from './base-untagged-or-latest.js';
import { rule as baseNotDigestPinned } from './base-not-digest-pinned.js';
import { rule as osPackageUnpinned } from './os-package-unpinned.js';
import { rule as languagePackageUnpinned } from './language-package-unpinned.js';
import { rule as ociLabels } from './oci-labels.js';
import { rule as healthcheck } from './healthcheck.js';
import { rule as platformFlag } from './platform-flag.js';
import { rule as relativeWorkdir } from './relative-workdir.js';
import { rule as execFormCmd } from './exec-form-cmd.js';
import { rule as addInsteadOfCopy } from './add-instead-of-copy.js';
import { rule as cdInsteadOfWorkdir } from './cd-instead-of-workdir.js';
import { rule as pipefail } from './pipefail.js';
import { rule as aptNotAptGet } from './apt-not-apt-get.js';
import { rule as duplicateStageName } from './duplicate-stage-name.js';
import { rule as multipleCmdEntrypoint } from './multiple-cmd-entrypoint.js';
import { rule as copyFromUnknownOrSelf } from './copy-from-unknown-or-self.js';
import { rule as maintainerDeprecated } from './maintainer-deprecated.js';
import { rule as parseError } from './parse-error.js';
import type { Rule } from './types.js';

export const rules: Rule[] = [
  secretInArgEnv,
  broadCopyWithoutDockerignore,
  finalStageRoot,
  numericUid,
  privilegedOrSshPort,
  sudo,
  staleBaseDigest,
  eolBase,
  updateWithoutInstall,
  distUpgrade,
  tlsOrSignatureDisabled,
  untrustedRegistry,
  curlPipeShell,
  addRemoteUrl,
  contentTrustObsolete,
  nonMinimalFinalBase,
  buildToolsInFinalStage,
  packageCacheLeft,
  noInstallRecommends,
  nonInteractiveInstall,
  cacheUnfriendlyOrder,
  consecutiveRun,
  baseUntaggedOrLatest,
  baseNotDigestPinned,
  osPackageUnpinned,
  languagePackageUnpinned,
  ociLabels,
  healthcheck,
  platformFlag,
  relativeWorkdir,
  execFormCmd,
  addInsteadOfCopy,
  cdInsteadOfWorkdir,
  pipefail,
  aptNotAptGet,
  duplicateStageName,
  multipleCmdEntrypoint,
  copyFromUnknownOrSelf,
  maintainerDeprecated,
  parseError,
];
