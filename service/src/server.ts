import closeWithGrace from 'close-with-grace';
import { buildServer } from './app.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { writeLog } from './process-log.js';

// ECS sends SIGTERM, then SIGKILL after stopTimeout (30 s): in-flight requests get 25 s to finish.
const SHUTDOWN_GRACE_MS = 25_000;

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      writeLog('fatal', error.message, { problems: error.problems });
      process.exit(1);
    }
    throw error;
  }
}

const config = loadConfig();
const app = buildServer({ config });

closeWithGrace({ delay: SHUTDOWN_GRACE_MS, logger: app.log }, async ({ signal, err }) => {
  if (err !== undefined) {
    app.log.fatal({ err }, 'closing after an unexpected error');
  } else {
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  }
  await app.close();
  app.log.info('shutdown complete');
});

await app.listen({ host: config.host, port: config.port });
