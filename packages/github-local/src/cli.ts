/*
 * `github-local`: runs the server in the foreground, e.g. as the catalog repository of a
 * local Backstage (scripts/start.sh).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LocalGitHub } from './server';

const USAGE = `usage: github-local [options]

  --port N           port to listen on (default 7008; 0 = any free port)
  --host H           address to listen on (default 127.0.0.1)
  --data-dir DIR     where the git repositories live (default .github-local)
  --repo OWNER/NAME  a repository to create when missing (repeatable; default local/catalog)
  --seed DIR         files of the first commit of new repositories (default: a README)
  --token T          accepted API token (repeatable; default local-dev-token)
  --latency MS       added to every API call
  --quiet            do not log requests
`;

async function readTree(
  dir: string,
  prefix = '',
): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, await readTree(full, rel));
    else if (entry.isFile()) out[rel] = await fs.readFile(full);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const opts = {
    port: 7008,
    host: '127.0.0.1',
    dataDir: '.github-local',
    repos: [] as string[],
    tokens: [] as string[],
    latency: 0,
    quiet: false,
    seed: undefined as string | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--port':
        opts.port = Number(value());
        break;
      case '--host':
        opts.host = value();
        break;
      case '--data-dir':
        opts.dataDir = value();
        break;
      case '--repo':
        opts.repos.push(value());
        break;
      case '--seed':
        opts.seed = value();
        break;
      case '--token':
        opts.tokens.push(value());
        break;
      case '--latency':
        opts.latency = Number(value());
        break;
      case '--quiet':
        opts.quiet = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(`github-local: unknown option ${arg}\n${USAGE}`);
        return 2;
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    process.stderr.write(
      `github-local: --port must be a number from 0 to 65535\n`,
    );
    return 2;
  }
  const files = opts.seed ? await readTree(path.resolve(opts.seed)) : undefined;
  const repos = (opts.repos.length ? opts.repos : ['local/catalog']).map(
    spec => {
      const [owner, repo, ...extra] = spec.split('/');
      if (!owner || !repo || extra.length)
        throw new Error(`--repo must be OWNER/NAME; got "${spec}"`);
      return { owner, repo, files };
    },
  );
  const server = await LocalGitHub.start({
    port: opts.port,
    host: opts.host,
    dataDir: path.resolve(opts.dataDir),
    tokens: opts.tokens.length ? opts.tokens : undefined,
    latencyMs: opts.latency,
    repos,
    log: opts.quiet
      ? undefined
      : line => process.stdout.write(`[github-local] ${line}\n`),
  });
  process.stdout.write(
    `[github-local] listening on ${server.url} (REST ${server.apiUrl}); repositories: ${repos
      .map(r => `${server.url}/${r.owner}/${r.repo}`)
      .join(', ')}; data in ${server.dataDir}\n`,
  );
  await new Promise<void>(resolve => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.stop();
  return 0;
}
