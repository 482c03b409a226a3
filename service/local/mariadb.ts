import { execFile as execFileCallback, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import type { DatabaseConfig } from '../src/config.js';
import { DATABASE_PORT } from '../src/contract.js';

const execFile = promisify(execFileCallback);

/**
 * A throwaway MariaDB server in a directory of its own, listening on 127.0.0.1 and a unix socket:
 * for the local run, the tests and the benchmark. It uses the MariaDB installed on the machine,
 * or else unpacks Debian's packages into a per-user cache (see `provisionFromDebian`).
 */
export interface LocalMariaDb {
  host: '127.0.0.1';
  port: number;
  socketPath: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Synchronous, for process 'exit' handlers; the directory goes once this process has exited. */
  kill(): void;
}

export interface LocalDatabase {
  name: string;
  username: string;
  password: string;
}

/** The programs a throwaway server needs, and how to run them. */
interface MariaDbPrograms {
  server: string;
  installDb: string;
  /** An unpacked copy's `usr`: its programs look for their files there instead of under /usr. */
  baseDir?: string;
  env: NodeJS.ProcessEnv;
}

const SEARCH_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/mysql/bin', '/usr/local/mysql/scripts'];
const START_TIMEOUT_MS = 30_000;
const SERVER_PACKAGE = 'mariadb-server-core';
// mariadb-install-db calls my_print_defaults, which the client package holds.
const SERVER_PACKAGES = [SERVER_PACKAGE, 'mariadb-client-core'];
// Configuration files only: the server runs with --no-defaults.
const UNNEEDED_DEPENDENCIES = new Set(['mariadb-common']);
const NOT_AVAILABLE =
  'MariaDB is not installed and cannot be fetched here (not a Debian-family system with apt-get and dpkg-deb): ' +
  'install MariaDB 10.6+ so that mariadbd and mariadb-install-db are on PATH, ' +
  'or set DATABASE_URL=mysql://user:password@host:3306/database to use a server of your own';

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

function installedPrograms(): MariaDbPrograms | undefined {
  const server = findBinary(['mariadbd', 'mysqld']);
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db']);
  return server === undefined || installDb === undefined ? undefined : { server, installDb, env: process.env };
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mraa-mariadb');
}

/** The programs of an unpacked copy, with the shared libraries that came with it on the loader's path. */
async function unpackedPrograms(root: string): Promise<MariaDbPrograms> {
  const libraryDirs: string[] = [];
  for (const dir of [join(root, 'usr', 'lib'), join(root, 'lib')]) {
    const entries = existsSync(dir) ? await readdir(dir) : [];
    libraryDirs.push(...entries.filter((entry) => entry.includes('-linux-')).map((entry) => join(dir, entry)));
  }
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    server: join(root, 'usr', 'sbin', 'mariadbd'),
    installDb: join(root, 'usr', 'bin', 'mariadb-install-db'),
    baseDir: join(root, 'usr'),
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [...libraryDirs, ...(inherited === undefined || inherited === '' ? [] : [inherited])].join(
        delimiter,
      ),
    },
  };
}

/** A copy unpacked earlier (by any process): a version directory exists only once it is complete. */
async function cachedRoot(root: string): Promise<string | undefined> {
  const entries = existsSync(root) ? await readdir(root) : [];
  const complete = entries.filter((entry) => !entry.startsWith('.')).sort();
  const newest = complete.at(-1);
  return newest === undefined ? undefined : join(root, newest);
}

async function packageFields(aptOptions: string[], names: string[]): Promise<Map<string, Record<string, string>>> {
  const { stdout } = await execFile('apt-cache', [...aptOptions, 'show', '--no-all-versions', ...names]);
  const packages = new Map<string, Record<string, string>>();
  for (const stanza of stdout.split(/\n\n+/)) {
    const fields: Record<string, string> = {};
    for (const match of stanza.matchAll(/^([A-Za-z-]+): (.*)$/gm)) {
      const [, name, value] = match;
      if (name !== undefined && value !== undefined) {
        fields[name] = value;
      }
    }
    if (fields.Package !== undefined) {
      packages.set(fields.Package, fields);
    }
  }
  return packages;
}

async function installed(name: string): Promise<boolean> {
  try {
    const { stdout } = await execFile('dpkg-query', ['-W', '-f', '${db:Status-Status}', name]);
    return stdout.trim() === 'installed';
  } catch {
    return false;
  }
}

/**
 * The packages to fetch: the server's own, and each library they depend on that this system lacks,
 * as dpkg knows it (a Debian 12 machine without MariaDB lacked libaio1 and liburing2; a slimmer
 * image may lack more, such as libnuma1). One level deep is enough: those libraries depend only on
 * libc, and `ldd` checks the result.
 */
async function packagesToFetch(aptOptions: string[]): Promise<{ version: string; packages: string[] }> {
  const fields = await packageFields(aptOptions, SERVER_PACKAGES);
  const server = fields.get(SERVER_PACKAGE);
  if (server?.Version === undefined) {
    throw new Error(`apt knows no ${SERVER_PACKAGE}`);
  }
  const groups = [...fields.values()].flatMap((stanza) => (stanza.Depends ?? '').split(','));
  const missing = new Set<string>();
  for (const group of groups) {
    const alternatives = group
      .split('|')
      .map((alternative) => alternative.trim().split(/[\s:(]/)[0] ?? '')
      .filter((name) => name !== '' && !UNNEEDED_DEPENDENCIES.has(name) && !SERVER_PACKAGES.includes(name));
    const [first] = alternatives;
    if (first !== undefined && !(await Promise.all(alternatives.map(installed))).includes(true)) {
      missing.add(first);
    }
  }
  return { version: server.Version.replace(/^\d+:/, ''), packages: [...SERVER_PACKAGES, ...missing] };
}

/** Downloads the packages into `dir`, with apt's own package lists if they are fresh enough, else with private ones. */
async function downloadPackages(work: string, dir: string): Promise<string> {
  const attempt = async (aptOptions: string[]) => {
    const { version, packages } = await packagesToFetch(aptOptions);
    await execFile('apt-get', [...aptOptions, 'download', ...packages], { cwd: dir });
    return version;
  };
  try {
    return await attempt([]);
  } catch {
    // No lists at all (a fresh container image), or lists naming files the mirror no longer has.
    // An unprivileged user cannot update the system's lists, so this run keeps its own.
    const lists = join(work, 'apt-lists');
    const cache = join(work, 'apt-cache');
    await mkdir(join(lists, 'partial'), { recursive: true });
    await mkdir(join(cache, 'archives', 'partial'), { recursive: true });
    const aptOptions = [
      '-o',
      `Dir::State::Lists=${lists}`,
      '-o',
      `Dir::Cache=${cache}`,
      '-o',
      'Debug::NoLocking=1',
      '-q',
    ];
    await execFile('apt-get', [...aptOptions, 'update']);
    return attempt(aptOptions);
  }
}

/**
 * MariaDB without root: Debian's server packages (and the libraries the system lacks) fetched with
 * `apt-get download` and unpacked with `dpkg-deb -x` into ~/.cache/mraa-mariadb/<version>; the
 * programs run from there with `--basedir` and LD_LIBRARY_PATH. Nothing is installed system-wide.
 * Concurrent runs may both download, but each unpacks into a private directory and renames it into
 * place, which is atomic: a version directory is always complete, and the loser uses the winner's.
 */
async function provisionFromDebian(): Promise<string> {
  const root = cacheRoot();
  const cached = await cachedRoot(root);
  if (cached !== undefined) {
    return cached;
  }
  await mkdir(root, { recursive: true });
  const work = await mkdtemp(join(root, '.unpacking-'));
  try {
    const debs = join(work, 'debs');
    const unpacked = join(work, 'root');
    await mkdir(debs);
    const version = await downloadPackages(work, debs);
    for (const deb of await readdir(debs)) {
      await execFile('dpkg-deb', ['-x', join(debs, deb), unpacked]);
    }
    const programs = await unpackedPrograms(unpacked);
    const { stdout } = await execFile('ldd', [programs.server], { env: programs.env });
    const unresolved = stdout.split('\n').filter((line) => line.includes('not found'));
    if (unresolved.length > 0) {
      throw new Error(`the unpacked mariadbd lacks shared libraries:\n${unresolved.join('\n')}`);
    }
    const target = join(root, version);
    try {
      await rename(unpacked, target);
    } catch (error) {
      if (!existsSync(target)) {
        throw error;
      }
    }
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function mariaDbPrograms(): Promise<MariaDbPrograms> {
  const local = installedPrograms();
  if (local !== undefined) {
    return local;
  }
  const debian = existsSync('/etc/debian_version') && findBinary(['apt-get']) && findBinary(['dpkg-deb']);
  if (!debian) {
    throw new Error(NOT_AVAILABLE);
  }
  try {
    return await unpackedPrograms(await provisionFromDebian());
  } catch (error) {
    throw new Error(
      `MariaDB is not installed, and fetching Debian's packages failed (${String(error)}); ` +
        'install mariadb-server, or set DATABASE_URL=mysql://user:password@host:3306/database',
    );
  }
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

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

// Reads its stdin until EOF, which comes when the process holding the other end is gone, however
// it ended (even SIGKILL, which runs no exit handler). Then the server is killed and, once it is
// gone, its directory removed. Signals are ignored: a Ctrl-C reaching the terminal's whole process
// group must not end the watch before the parent has cleaned up.
const WATCH_PARENT = `trap '' INT TERM HUP
while read -r _; do :; done
kill -KILL "$1" 2>/dev/null
i=0
while kill -0 "$1" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
rm -rf "$2"`;

/**
 * Creates the data directory (unless it exists) and starts the server on a free port. `baseDir`
 * is the server's alone: if this process dies without stopping the server, a watcher process
 * kills it and removes `baseDir`, so that nothing outlives its owner.
 */
export async function startLocalMariaDb(baseDir: string): Promise<LocalMariaDb> {
  const programs = await mariaDbPrograms();
  const baseDirOption = programs.baseDir === undefined ? [] : [`--basedir=${programs.baseDir}`];
  const dataDir = join(baseDir, 'data');
  const socketPath = join(baseDir, 'mysqld.sock');
  const errorLog = join(baseDir, 'error.log');
  // mariadbd refuses to run as root unless told to; in a container or CI that is who we are.
  const user = [`--user=${userInfo().username}`];
  if (!existsSync(dataDir)) {
    await mkdir(baseDir, { recursive: true });
    await run(
      programs.installDb,
      [
        '--no-defaults',
        ...baseDirOption,
        `--datadir=${dataDir}`,
        ...user,
        '--auth-root-authentication-method=socket',
        '--skip-test-db',
      ],
      programs.env,
    );
  }
  const port = await freePort();
  let running: { server: ChildProcess; watcher: ChildProcess } | undefined;

  const start = async () => {
    const server = spawn(
      programs.server,
      [
        '--no-defaults',
        ...baseDirOption,
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
      { stdio: 'ignore', env: programs.env },
    );
    const watcher = spawn('sh', ['-c', WATCH_PARENT, 'watch-parent', String(server.pid), baseDir], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // The watch must not keep this process alive: its end of the pipe only has to exist.
    watcher.unref();
    if (watcher.stdin instanceof Socket) {
      watcher.stdin.unref();
    }
    running = { server, watcher };
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (server.exitCode === null && Date.now() < deadline) {
      try {
        await (await connectAsRoot(socketPath)).end();
        return;
      } catch {
        await sleep(100);
      }
    }
    const log = existsSync(errorLog) ? await readFile(errorLog, 'utf8') : '';
    kill();
    throw new Error(`MariaDB did not start (exit ${server.exitCode}):\n${log.split('\n').slice(-15).join('\n')}`);
  };

  // The watcher is left running: this is the exit path, which may itself be cut short (tsx
  // SIGKILLs a child that does not acknowledge a relayed signal within 30 ms, as happens when Ctrl-C
  // reaches it twice), and then the watcher still removes the directory once this process is gone.
  const kill = () => {
    running?.server.kill('SIGKILL');
    running = undefined;
  };

  const stop = async () => {
    const current = running;
    running = undefined;
    if (current === undefined) {
      return;
    }
    // The watcher goes first, so that it never acts on a server (or a pid) restarted after this.
    current.watcher.kill('SIGKILL');
    if (current.server.exitCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => current.server.once('exit', resolve));
    current.server.kill('SIGTERM');
    await exited;
  };

  await start();
  return { host: '127.0.0.1', port, socketPath, start, stop, kill };
}

/** Root over the unix socket (socket authentication): for setup and for checking invariants. */
export function connectAsRoot(socketPath: string, database?: string): Promise<Connection> {
  return createConnection({ socketPath, user: 'root', ...(database === undefined ? {} : { database }) });
}

/** A user that may create databases and users: root over a throwaway server's socket, or one's own server's. */
export type AdminAccess = Pick<ConnectionOptions, 'socketPath' | 'host' | 'port' | 'user' | 'password'>;

export function rootOverSocket(socketPath: string): AdminAccess {
  return { socketPath, user: 'root' };
}

/** A server of one's own: `DATABASE_URL=mysql://user:password@host:3306/database`. */
export function databaseFromUrl(url: string): DatabaseConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error('DATABASE_URL must look like mysql://user:password@host:3306/database');
  }
  return {
    writerHost: parsed.hostname,
    // A local or self-hosted MySQL; Aurora (which requires TLS) is reached by the service in AWS.
    tls: 'off',
    port: parsed.port === '' ? DATABASE_PORT : Number(parsed.port),
    name: parsed.pathname.replace(/^\//, ''),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/**
 * A database and a password-authenticated user for it, reachable over TCP like Aurora. `admin` is
 * a throwaway server's socket path (root over it) or any user allowed to create both.
 */
export async function createLocalDatabase(admin: string | AdminAccess, database: LocalDatabase): Promise<void> {
  const root = await createConnection(typeof admin === 'string' ? rootOverSocket(admin) : admin);
  try {
    await root.query(`CREATE DATABASE IF NOT EXISTS \`${database.name}\``);
    await root.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [database.username, '%', database.password]);
    await root.query(`GRANT ALL PRIVILEGES ON \`${database.name}\`.* TO ?@?`, [database.username, '%']);
  } finally {
    await root.end();
  }
}
