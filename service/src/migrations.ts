import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import type { DatabaseConfig } from './config.js';
import { connectionOptions } from './plugins/mysql.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const LOCK_NAME = 'orders_service_migrations';
const LOCK_WAIT_SECONDS = 60;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function loadMigrations(directory = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (match === null) {
      throw new Error(`Migration file ${file} must be named NNNN_lower_snake_case.sql`);
    }
    const version = Number(match[1]);
    if (migrations.some((migration) => migration.version === version)) {
      throw new Error(`Two migration files share version ${match[1]}`);
    }
    const sql = await readFile(`${directory}/${file}`, 'utf8');
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies the migrations that are not yet recorded in `schema_migrations`, in version order.
 * Running it again is a no-op; a recorded migration whose file changed stops the run, and a
 * named lock keeps two runners (two tasks, two regions) from applying the same file twice.
 */
export async function applyMigrations(database: DatabaseConfig, directory = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await loadMigrations(directory);
  const connection = await createConnection({ ...connectionOptions(database), multipleStatements: true });
  try {
    const [[lock]] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS acquired', [
      LOCK_NAME,
      LOCK_WAIT_SECONDS,
    ]);
    if (lock?.acquired !== 1) {
      throw new Error(`Another migration run holds the lock ${LOCK_NAME}`);
    }
    await connection.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INT UNSIGNED NOT NULL PRIMARY KEY,
         name VARCHAR(255) NOT NULL,
         checksum CHAR(64) NOT NULL,
         applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
       ) ENGINE = InnoDB`,
    );
    const [recordedRows] = await connection.query<RowDataPacket[]>('SELECT version, checksum FROM schema_migrations');
    const recorded = new Map(recordedRows.map((row) => [Number(row.version), String(row.checksum)]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const checksum = recorded.get(migration.version);
      if (checksum === migration.checksum) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      if (checksum !== undefined) {
        throw new Error(`Migration ${migration.name} changed after it was applied; add a new migration instead`);
      }
      await connection.query(migration.sql);
      await connection.query('INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await connection.end();
  }
}
