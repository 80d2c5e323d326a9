// `npm start`: the webhook server. probot's `run` reads the environment (APP_ID, PRIVATE_KEY or
// PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, HOST, PORT, LOG_LEVEL…); without an app id and key it
// serves the setup (manifest) flow instead of the app. Our own launcher rather than `probot run`, because
// probot stops only on SIGINT while containers stop processes with SIGTERM, because probot must not
// see REDIS_URL (it would cluster its request throttling through it; see probotEnvironment), and because
// its logger must never print a delivery's payload or headers (see log.ts).

import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { run } from 'probot';
import { queueSettingsFromEnv, RedisSettingsError } from '../queue/redis-settings.js';
import { webSettingsFromEnv, WebSettingsError } from '../web/config.js';
import app, { probotEnvironment } from './index.js';
import { createServerLog, logOptionsFromEnv } from './log.js';

loadDotEnv();
checkRedisSettings();
const env = probotEnvironment();
const server = await run(app, { env, log: await createServerLog(logOptionsFromEnv(env)) });

process.once('SIGTERM', () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

/**
 * A Redis topology (or dashboard setting) that cannot be used stops the server before it listens: exit 2,
 * naming the variable.
 */
function checkRedisSettings(): void {
  try {
    queueSettingsFromEnv(process.env);
    webSettingsFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof RedisSettingsError) && !(error instanceof WebSettingsError)) throw error;
    process.stderr.write(`dockhand serve: ${error.message}\n`);
    process.exit(2);
  }
}

/** `.env` over the environment, as `run` loads it (the setup flow writes one), before the logger reads LOG_*. */
function loadDotEnv(): void {
  try {
    Object.assign(process.env, parseEnv(readFileSync('.env', 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
