/*
 * `git clone` and `git fetch` over smart HTTP, served by git's own `git http-backend` (the
 * CGI program git ships), so the protocol is git's and not a reimplementation:
 * https://127.0.0.1:PORT/OWNER/REPO.git (with or without `.git`), as on GitHub.
 *
 * Credentials as GitHub takes them over HTTPS: basic auth whose password is a token (a
 * configured token or an app installation token; the user name is not checked, e.g.
 * `x-access-token`). Without credentials: 401 with `WWW-Authenticate: Basic`, so git asks
 * its credential helpers; with a wrong token: 401; a repository the token cannot see: 404
 * "Repository not found.". Pushing (git-receive-pack) is refused: changes go through the
 * API, as the product makes them.
 */
import { spawn } from 'node:child_process';
import type http from 'node:http';
import path from 'node:path';
import type { RepoState, Store } from './store';

/** /OWNER/REPO(.git)/(info/refs|git-upload-pack|git-receive-pack|HEAD|objects/...) */
const GIT_PATH =
  // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests (recheck: linear, but over the lint timeout)
  /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+)$/;

export interface SmartHttpAuth {
  /** The repository this password (token) may read, or why not. */
  check(
    password: string | undefined,
    owner: string,
    repo: string,
  ): 'ok' | 'unauthenticated' | 'bad-credentials' | 'not-found';
}

export function isGitPath(pathname: string): boolean {
  return GIT_PATH.test(pathname);
}

function plain(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): number {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
  });
  res.end(text);
  return status;
}

/** The password of a basic Authorization header (GitHub reads the token there). */
function basicPassword(header: string | undefined): string | undefined {
  const m = /^basic\s+(\S+)/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(colon + 1);
}

/** Answers one smart-HTTP request through `git http-backend`; returns the status sent. */
export async function serveGit(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  store: Store,
  auth: SmartHttpAuth,
): Promise<number> {
  const m = GIT_PATH.exec(url.pathname)!;
  const [, owner, name, rest] = m;
  const repo: RepoState | undefined = store.get(owner, name);
  const verdict = auth.check(
    basicPassword(req.headers.authorization),
    owner,
    name,
  );
  if (verdict === 'unauthenticated')
    return plain(res, 401, 'Authentication required\n', {
      'www-authenticate': 'Basic realm="GitHub"',
    });
  if (verdict === 'bad-credentials')
    return plain(
      res,
      401,
      'Invalid username or token. Password authentication is not supported for Git operations.\n',
      { 'www-authenticate': 'Basic realm="GitHub"' },
    );
  if (verdict === 'not-found' || !repo)
    return plain(res, 404, 'Repository not found.\n');
  const service = url.searchParams.get('service');
  if (rest === 'git-receive-pack' || service === 'git-receive-pack')
    return plain(
      res,
      403,
      'github-local serves clone and fetch only: change the repository through the API\n',
    );

  const relative = path.relative(store.dataDir, repo.git.dir);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: store.dataDir,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    PATH_INFO: `/${relative.split(path.sep).join('/')}/${rest}`,
    REQUEST_METHOD: (req.method ?? 'GET').toUpperCase(),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_USER: 'x-access-token',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
  };
  if (req.headers['content-length'])
    env.CONTENT_LENGTH = String(req.headers['content-length']);
  if (req.headers['content-encoding'])
    env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
  if (req.headers['git-protocol'])
    env.GIT_PROTOCOL = String(req.headers['git-protocol']);

  const child = spawn('git', ['http-backend'], { env });
  req.pipe(child.stdin);
  child.stdin.on('error', () => {});
  const stderr: Buffer[] = [];
  child.stderr.on('data', d => stderr.push(d));

  return new Promise<number>(resolve => {
    let head = Buffer.alloc(0);
    let status = 0;
    const onData = (chunk: Buffer) => {
      if (status) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      let end = head.indexOf('\r\n\r\n');
      let sep = 4;
      if (end === -1) {
        end = head.indexOf('\n\n');
        sep = 2;
      }
      if (end === -1) return;
      const headers: Record<string, string> = {};
      status = 200;
      for (const line of head.subarray(0, end).toString().split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon === -1) continue;
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (key === 'status') status = Number(value.split(' ')[0]) || 200;
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + sep));
    };
    child.stdout.on('data', onData);
    child.on('close', code => {
      if (!status) {
        resolve(
          plain(
            res,
            500,
            `git http-backend failed (${code}): ${Buffer.concat(stderr).toString()}`,
          ),
        );
        return;
      }
      res.end();
      resolve(status);
    });
    child.on('error', error => {
      if (!status) resolve(plain(res, 500, `git http-backend: ${error}`));
    });
  });
}
