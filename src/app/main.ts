// `npm start`: the webhook server. probot's `run` reads the environment (APP_ID, PRIVATE_KEY or
// PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, HOST, PORT, LOG_LEVEL…); without an app id and key it
// serves the setup (manifest) flow instead of the app. Our own launcher rather than `probot run`, because
// probot stops only on SIGINT while containers stop processes with SIGTERM, and because probot must not
// see REDIS_URL (it would cluster its request throttling through it; see probotEnvironment).

import { run } from 'probot';
import app, { probotEnvironment } from './index.js';

const server = await run(app, { env: probotEnvironment() });

process.once('SIGTERM', () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
