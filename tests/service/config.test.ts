import { spawnSync } from 'node:child_process';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseMigrationConfig, type Env } from '../../service/src/config.js';
import { connectionOptions } from '../../service/src/plugins/mysql.js';
import { parseAs } from './helpers.js';

const VALID: Env = {
  AWS_REGION: 'eu-west-1',
  DYNAMO_TABLE: 'orders-prod',
  DB_WRITER_HOST: 'orders.cluster-abc.eu-west-1.rds.amazonaws.com',
  DB_READER_HOST: 'orders.cluster-ro-abc.eu-west-1.rds.amazonaws.com',
  DB_NAME: 'orders',
  DB_CREDENTIALS: '{"username":"orders_app","password":"s3cr3t-Pa55word"}',
};

function problemsOf(env: Env): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('parseConfig', () => {
  it('reads a complete environment and applies the documented defaults', () => {
    expect(parseConfig(VALID)).toEqual({
      host: '0.0.0.0',
      port: 3000,
      region: 'eu-west-1',
      logLevel: 'info',
      dynamo: { table: 'orders-prod', consistency: 'eventual' },
      database: {
        writerHost: VALID.DB_WRITER_HOST,
        readerHost: VALID.DB_READER_HOST,
        tls: 'verify',
        port: 3306,
        name: 'orders',
        username: 'orders_app',
        password: 's3cr3t-Pa55word',
      },
    });
    const tuned = parseConfig({
      ...VALID,
      PORT: '8080',
      DYNAMO_CONSISTENCY: 'strong',
      DYNAMO_ENDPOINT: 'http://127.0.0.1:4567',
      DB_PORT: '3307',
      DB_TLS: 'off',
      DRILL_TOKEN: 'a-long-enough-drill-token',
      LOG_LEVEL: 'debug',
    });
    expect(tuned).toMatchObject({
      port: 8080,
      logLevel: 'debug',
      drillToken: 'a-long-enough-drill-token',
      dynamo: { consistency: 'strong', endpoint: 'http://127.0.0.1:4567' },
      database: { port: 3307, tls: 'off' },
    });
  });

  it('lists every missing variable in one error', () => {
    expect(problemsOf({})).toEqual([
      'AWS_REGION is required',
      'DYNAMO_TABLE is required',
      'DB_WRITER_HOST is required',
      'DB_NAME is required',
      'DB_CREDENTIALS is required',
      'DB_READER_HOST is required',
    ]);
  });

  it('names every invalid value in one error', () => {
    const problems = problemsOf({
      ...VALID,
      PORT: 'eighty',
      AWS_REGION: 'Virginia',
      DYNAMO_CONSISTENCY: 'sometimes',
      DYNAMO_ENDPOINT: 'ftp://127.0.0.1',
      DB_PORT: '70000',
      DB_TLS: 'maybe',
      DRILL_TOKEN: 'short',
      LOG_LEVEL: 'verbose',
    });
    expect(problems).toHaveLength(8);
    expect(problems).toContain('DB_TLS must be one of verify, off (got "maybe")');
    for (const name of [
      'PORT',
      'AWS_REGION',
      'DYNAMO_CONSISTENCY',
      'DYNAMO_ENDPOINT',
      'DB_PORT',
      'DB_TLS',
      'DRILL_TOKEN',
      'LOG_LEVEL',
    ]) {
      expect(problems.some((problem) => problem.startsWith(`${name} `))).toBe(true);
    }
  });

  it('explains a malformed DB_CREDENTIALS without echoing the secret', () => {
    const notJson = problemsOf({ ...VALID, DB_CREDENTIALS: 'password=hunter2hunter2' });
    expect(notJson).toEqual([expect.stringContaining('DB_CREDENTIALS must be a JSON object')]);
    const missingUser = problemsOf({ ...VALID, DB_CREDENTIALS: '{"password":"hunter2hunter2"}' });
    expect(missingUser).toEqual(['DB_CREDENTIALS must hold non-empty string fields "username"']);
    expect([...notJson, ...missingUser].join(' ')).not.toContain('hunter2');
  });

  it('lets the migration command run with only the writer variables', () => {
    const { AWS_REGION: _region, DYNAMO_TABLE: _table, DB_READER_HOST: _reader, ...writerOnly } = VALID;
    expect(parseMigrationConfig(writerOnly)).toMatchObject({ writerHost: VALID.DB_WRITER_HOST, name: 'orders' });
  });
});

const FatalLine = Type.Object({ level: Type.String(), msg: Type.String(), problems: Type.Array(Type.String()) });

describe('boot with a bad environment', () => {
  it('stops the server with exit code 1 and one log line listing every problem', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'service/src/server.ts'], {
      env: { PATH: process.env.PATH, DB_PORT: 'abc' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(lines).toHaveLength(1);
    const fatal = parseAs(FatalLine, lines[0] ?? '');
    expect(fatal.level).toBe('fatal');
    expect(fatal.problems).toHaveLength(7);
    expect(fatal.msg).toContain('Invalid configuration (7 problems)');
    expect(fatal.msg).toContain('DB_PORT must be an integer between 1 and 65535 (got "abc")');
  });
});

describe('database connection options', () => {
  it('connects with TLS verified against the RDS certificate authorities unless DB_TLS=off', () => {
    const verified = connectionOptions(parseConfig(VALID).database);
    expect(verified.ssl).toMatchObject({ rejectUnauthorized: true });
    expect((verified.ssl as { ca: string[] }).ca.join('')).toContain('BEGIN CERTIFICATE');
    expect(connectionOptions(parseConfig({ ...VALID, DB_TLS: 'off' }).database).ssl).toBeUndefined();
  });
});
