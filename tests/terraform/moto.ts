import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '../../service/local/mariadb.js';
import { join } from 'node:path';
import { TOOLCHAIN_DIR } from './cli.js';

/** A moto server (AWS API emulator) on loopback. */
export interface Moto {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** moto_server from `MRAA_MOTO_SERVER`, the toolchain's venv, or PATH. */
function motoServerBinary(): string {
  const fromToolchain = join(TOOLCHAIN_DIR, 'moto', 'bin', 'moto_server');
  return process.env.MRAA_MOTO_SERVER ?? (existsSync(fromToolchain) ? fromToolchain : 'moto_server');
}

/** The Python that has moto and boto3: the toolchain's venv (scripts/toolchain/moto.sh), or PATH's. */
export function motoPython(): string {
  const fromToolchain = join(TOOLCHAIN_DIR, 'moto', 'bin', 'python');
  return existsSync(fromToolchain) ? fromToolchain : 'python3';
}

/**
 * Starts moto on 127.0.0.1 and waits (at most 30 s) until it answers: moto_server itself, or
 * `launcher`, a Python script that extends moto before serving and takes moto_server's arguments.
 */
export async function startMoto(launcher?: string): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const serverArgs = ['-H', '127.0.0.1', '-p', String(port)];
  const [command, args] =
    launcher === undefined ? [motoServerBinary(), serverArgs] : [motoPython(), [launcher, ...serverArgs]];
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`moto_server did not start (${error.message}); install it with scripts/toolchain/build.sh`)),
    );
    child.once('exit', (code) => reject(new Error(`moto_server exited ${code}: ${stderr}`)));
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await Promise.race([
      fetch(`${endpoint}/moto-api/`).then(
        (response) => response.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
