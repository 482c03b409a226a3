import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMigrationConfig } from '../../service/src/config.js';
import { applyMigrations, loadMigrations, MIGRATIONS_DIR } from '../../service/src/migrations.js';
import { createWorld, JsonObject, parseAs, type TestWorld } from './helpers.js';

let world: TestWorld;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

async function recorded(): Promise<string[]> {
  const [rows] = await world.sql.query<RowDataPacket[]>('SELECT name FROM schema_migrations ORDER BY version');
  return rows.map((row) => String(row.name));
}

describe('migrations', () => {
  it('are applied once: a second run changes nothing', async () => {
    const files = (await loadMigrations()).map((migration) => migration.name);
    expect(files.length).toBeGreaterThan(0);
    expect(await recorded()).toEqual(files);
    const again = await applyMigrations(parseMigrationConfig(world.env));
    expect(again).toEqual({ applied: [], alreadyApplied: files });
    expect(await recorded()).toEqual(files);
  });

  it('refuse to run when an applied migration file has been edited', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'orders-migrations-'));
    try {
      await cp(MIGRATIONS_DIR, directory, { recursive: true });
      const [first] = await loadMigrations(directory);
      await appendFile(join(directory, first!.name), '\n-- edited after release\n');
      await expect(applyMigrations(parseMigrationConfig(world.env), directory)).rejects.toThrow(
        `Migration ${first!.name} changed after it was applied`,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('run from the command line, idempotently, with the JSON log the README describes', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'service/src/migrate.ts'], {
      env: { PATH: process.env.PATH, ...world.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    const line = parseAs(JsonObject, result.stdout.trim());
    expect(line).toMatchObject({ level: 'info', msg: 'migrations complete', applied: [] });
  });
});
