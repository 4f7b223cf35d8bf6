/*
 * Debian's PostgreSQL, started by a test for itself: `initdb` into a temporary folder, the
 * server on a free port of 127.0.0.1 (its unix socket in the same folder), stopped and removed
 * afterwards. Nothing of the machine's own clusters is touched.
 *
 * PostgreSQL refuses to run as root ("root" execution of the PostgreSQL server is not
 * permitted). When the test runs as root, initdb and the server run as the system user
 * `postgres` (which Debian's package creates), else `nobody`, through `runuser`; the
 * temporary folder is handed to that user. As any other user they run directly.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalPostgres {
  host: string;
  port: number;
  /** The superuser initdb made (no password: `trust` for local connections). */
  user: string;
  /** `backend.database.connection` for Backstage. */
  connection: { host: string; port: number; user: string };
  /** The server's log so far (for failure messages). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** The folder of initdb, pg_ctl and postgres: from PATH, else Debian's /usr/lib/postgresql/N/bin. */
export async function findPostgresBinaries(): Promise<string> {
  const candidates = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean);
  const debian = '/usr/lib/postgresql';
  const versions = await fs.readdir(debian).catch(() => [] as string[]);
  versions
    .filter(v => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .forEach(v => candidates.push(path.join(debian, v, 'bin')));
  for (const dir of candidates) {
    try {
      const initdb = await fs.realpath(path.join(dir, 'initdb'));
      const bin = path.dirname(initdb);
      await fs.access(path.join(bin, 'pg_ctl'));
      await fs.access(path.join(bin, 'postgres'));
      return bin;
    } catch {
      // not here
    }
  }
  throw new Error(
    "PostgreSQL's initdb, pg_ctl and postgres were not found on PATH or in /usr/lib/postgresql/*/bin. " +
      "Run the tests through scripts/test.sh (its ensure_postgres installs Debian's postgresql), " +
      'or install it with `apt-get install postgresql`.',
  );
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', name])).stdout.trim());
  const gid = Number((await run('id', ['-g', name])).stdout.trim());
  return { uid, gid };
}

/** The system user the server runs as when this process is root. */
async function serverUser(): Promise<
  { name: string; uid: number; gid: number } | undefined
> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      return { name, ...(await userIds(name)) };
    } catch {
      // no such user
    }
  }
  throw new Error(
    'Running as root, and neither the user "postgres" nor "nobody" exists to run PostgreSQL as (it refuses root)',
  );
}

export async function startLocalPostgres(options: {
  port: number;
}): Promise<LocalPostgres> {
  const bin = await findPostgresBinaries();
  const user = await serverUser();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wc-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (user) await fs.chown(dir, user.uid, user.gid);
  const pg = (tool: string, args: string[]) =>
    user
      ? run('runuser', ['-u', user.name, '--', path.join(bin, tool), ...args], {
          cwd: dir,
        })
      : run(path.join(bin, tool), args, { cwd: dir });

  const { port } = options;
  const host = '127.0.0.1';
  try {
    await pg('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    // fsync off: a test database that is thrown away; max_connections: two backends with
    // one pool per plugin database.
    const serverOptions = [
      `-c listen_addresses=${host}`,
      `-p ${port}`,
      `-k ${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=400',
    ].join(' ');
    await pg('pg_ctl', [
      '-D',
      data,
      '-l',
      logFile,
      '-w',
      '-t',
      '120',
      '-o',
      serverOptions,
      'start',
    ]);
  } catch (error) {
    const log = await fs.readFile(logFile, 'utf8').catch(() => '');
    await fs.rm(dir, { recursive: true, force: true });
    throw new Error(
      `Could not start PostgreSQL from ${bin}${user ? ` as ${user.name}` : ''}: ${(error as Error).message}\n${log}`,
    );
  }

  let stopped = false;
  return {
    host,
    port,
    user: 'postgres',
    connection: { host, port, user: 'postgres' },
    log: () => fs.readFile(logFile, 'utf8').catch(() => ''),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  };
}
