import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection, type Connection } from 'mysql2/promise';

/**
 * A throwaway MariaDB server (Debian package `mariadb-server`) in a directory of its own,
 * listening on 127.0.0.1 and a unix socket: for the local run, the tests and the benchmark.
 */
export interface LocalMariaDb {
  host: '127.0.0.1';
  port: number;
  socketPath: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Synchronous, for process 'exit' handlers. */
  kill(): void;
}

export interface LocalDatabase {
  name: string;
  username: string;
  password: string;
}

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin', '/usr/local/mysql/scripts'];
const START_TIMEOUT_MS = 30_000;

function findBinary(names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SEARCH_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (dir !== '' && existsSync(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

export function mariaDbInstalled(): boolean {
  return findBinary(['mariadbd', 'mysqld']) !== undefined && findBinary(['mariadb-install-db']) !== undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** Creates the data directory (unless it exists) and starts the server on a free port. */
export async function startLocalMariaDb(baseDir: string): Promise<LocalMariaDb> {
  const server = findBinary(['mariadbd', 'mysqld']);
  const installDb = findBinary(['mariadb-install-db']);
  if (server === undefined || installDb === undefined) {
    throw new Error('MariaDB is not installed (apt-get install mariadb-server), and no DATABASE_URL was given');
  }
  const dataDir = join(baseDir, 'data');
  const socketPath = join(baseDir, 'mysqld.sock');
  const errorLog = join(baseDir, 'error.log');
  // mariadbd refuses to run as root unless told to; in a container or CI that is who we are.
  const user = [`--user=${userInfo().username}`];
  if (!existsSync(dataDir)) {
    await mkdir(baseDir, { recursive: true });
    await run(installDb, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      ...user,
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
    ]);
  }
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    const started = spawn(
      server,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socketPath}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--pid-file=${join(baseDir, 'mysqld.pid')}`,
        `--log-error=${errorLog}`,
        `--tmpdir=${baseDir}`,
        ...user,
        '--skip-log-bin',
        // A throwaway server: commits reach the OS at once and the disk within a second, instead
        // of an fsync per commit that would make a hot product row the speed limit of every test.
        '--innodb-flush-log-at-trx-commit=2',
        '--innodb-buffer-pool-size=128M',
        '--max-connections=300',
        '--character-set-server=utf8mb4',
      ],
      { stdio: 'ignore' },
    );
    child = started;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (started.exitCode === null && Date.now() < deadline) {
      try {
        await (await connectAsRoot(socketPath)).end();
        return;
      } catch {
        await sleep(100);
      }
    }
    const log = existsSync(errorLog) ? await readFile(errorLog, 'utf8') : '';
    started.kill('SIGKILL');
    throw new Error(`MariaDB did not start (exit ${started.exitCode}):\n${log.split('\n').slice(-15).join('\n')}`);
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    host: '127.0.0.1',
    port,
    socketPath,
    start,
    stop,
    kill: () => child?.kill('SIGKILL'),
  };
}

/** Root over the unix socket (socket authentication): for setup and for checking invariants. */
export function connectAsRoot(socketPath: string, database?: string): Promise<Connection> {
  return createConnection({ socketPath, user: 'root', ...(database === undefined ? {} : { database }) });
}

/** A database and a password-authenticated user for it, reachable over TCP like Aurora. */
export async function createLocalDatabase(socketPath: string, database: LocalDatabase): Promise<void> {
  const root = await connectAsRoot(socketPath);
  try {
    await root.query(`CREATE DATABASE IF NOT EXISTS \`${database.name}\``);
    await root.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [database.username, '%', database.password]);
    await root.query(`GRANT ALL PRIVILEGES ON \`${database.name}\`.* TO ?@?`, [database.username, '%']);
  } finally {
    await root.end();
  }
}
