import type { Rule } from './types.js';

// TODO(rules): implement check, title and docs. Triggers (RULES.md): `curl -k/--insecure`, `wget --no-check-certificate`, `apk --allow-untrusted`, `apt-get --allow-unauthenticated`, `--nogpgcheck`, `pip --trusted-host`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, `GIT_SSL_NO_VERIFY`, `npm config set strict-ssl false`, `PYTHONHTTPSVERIFY=0`
export const rule: Rule = {
  id: 'DH501',
  slug: 'tls-or-signature-disabled',
  severity: 'error',
  enabledByDefault: true,
  title: '',
  docs: '',
  equivalents: ['CKV2_DOCKER_2\u201316'],
  check: () => [],
};
