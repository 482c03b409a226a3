/**
 * One JSON log line, shaped like the service's pino lines, for the moments without a Fastify
 * logger: before the configuration is valid, and in the migration command.
 */
export function writeLog(level: 'info' | 'fatal', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields });
  (level === 'fatal' ? process.stderr : process.stdout).write(`${line}\n`);
}
