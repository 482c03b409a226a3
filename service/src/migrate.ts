import { ConfigError, parseMigrationConfig } from './config.js';
import { applyMigrations } from './migrations.js';
import { writeLog } from './process-log.js';

// `npm run migrate` locally, `node dist/migrate.js` in the image (same environment as the service).
try {
  const result = await applyMigrations(parseMigrationConfig(process.env));
  writeLog('info', 'migrations complete', { ...result });
} catch (error) {
  const details = error instanceof ConfigError ? { problems: error.problems } : {};
  writeLog('fatal', error instanceof Error ? error.message : String(error), details);
  process.exitCode = 1;
}
