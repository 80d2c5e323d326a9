// A GitHub App private key for tests: generated once per test file, never a real credential.
import { generateKeyPairSync } from 'node:crypto';

export const TEST_PRIVATE_KEY: string = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
