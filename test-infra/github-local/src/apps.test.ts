import { generateKeyPairSync, sign } from 'node:crypto';
import { LocalGitHub } from './server';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** An app JWT as @octokit/auth-app makes it (RS256, iss = app id, iat/exp). */
function jwt(
  claims: Record<string, unknown>,
  key = privateKey,
  alg = 'RS256',
): string {
  const part = (o: object) =>
    Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const valid = () => jwt({ iss: 4242, iat: now() - 30, exp: now() + 540 });

describe('GitHub Apps', () => {
  let gh: LocalGitHub;
  beforeEach(async () => {
    gh = await LocalGitHub.start({
      tokens: ['plain-token'],
      apps: [
        {
          id: 4242,
          key: publicKey,
          installations: [
            { id: 77, account: 'acme' },
            { id: 78, account: 'shop', repositories: ['web'] },
          ],
        },
      ],
      repos: [
        { owner: 'acme', repo: 'catalog' },
        { owner: 'shop', repo: 'web' },
        { owner: 'shop', repo: 'secret' },
      ],
    });
  });
  afterEach(async () => {
    const violations = [...gh.violations];
    await gh.stop();
    // Every answer had GitHub's shape, every request was one GitHub accepts.
    if (violations.length)
      throw new Error(`OpenAPI violations:\n${violations.join('\n')}`);
  });

  const api = (path: string, auth: string, method = 'GET') =>
    fetch(`${gh.apiUrl}${path}`, {
      method,
      headers: { authorization: auth, accept: 'application/vnd.github+json' },
    });

  it('lists installations and issues tokens to an app that signs its JWT', async () => {
    const list = await api('/app/installations', `Bearer ${valid()}`);
    expect(list.status).toBe(200);
    expect(
      (await list.json()).map((i: any) => [
        i.id,
        i.account.login,
        i.repository_selection,
      ]),
    ).toEqual([
      [77, 'acme', 'all'],
      [78, 'shop', 'selected'],
    ]);
    const created = await api(
      '/app/installations/78/access_tokens',
      `Bearer ${valid()}`,
      'POST',
    );
    expect(created.status).toBe(201);
    const { token, expires_at } = await created.json();
    expect(token).toMatch(/^ghs_/);
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
    // The token works for the installation's repositories, and only those.
    expect((await api('/repos/shop/web', `token ${token}`)).status).toBe(200);
    expect((await api('/repos/shop/secret', `token ${token}`)).status).toBe(
      404,
    );
    expect((await api('/repos/acme/catalog', `token ${token}`)).status).toBe(
      404,
    );
    const repos = await api('/installation/repositories', `token ${token}`);
    expect(
      (await repos.json()).repositories.map((r: any) => r.full_name),
    ).toEqual(['shop/web']);
    expect(
      (
        await api(
          '/app/installations/99/access_tokens',
          `Bearer ${valid()}`,
          'POST',
        )
      ).status,
    ).toBe(404);
  });

  it('refuses JWTs that are not signed by the app, expired, or too long-lived', async () => {
    const bad = [
      'not-a-jwt',
      jwt({ iss: 4242, iat: now(), exp: now() + 60 }, other.privateKey),
      jwt({ iss: 1, iat: now(), exp: now() + 60 }),
      jwt({ iss: 4242, iat: now() - 700, exp: now() - 100 }),
      jwt({ iss: 4242, iat: now(), exp: now() + 3600 }),
      'plain-token',
    ];
    for (const token of bad) {
      const res = await api('/app/installations', `Bearer ${token}`);
      expect(res.status).toBe(401);
    }
    // An app JWT is not a token for the repository API, nor a made-up installation token.
    expect((await api('/repos/acme/catalog', `Bearer ${valid()}`)).status).toBe(
      401,
    );
    expect(
      (await api('/installation/repositories', 'token plain-token')).status,
    ).toBe(401);
    expect((await api('/repos/acme/catalog', 'token plain-token')).status).toBe(
      200,
    );
  });
});
