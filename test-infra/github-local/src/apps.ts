/*
 * GitHub Apps, as far as an app installation's credentials go (what @octokit/auth-app and
 * Backstage's GithubCredentialsProvider use): the app authenticates with a JWT signed by its
 * private key (RS256, `iss` = the app id, at most 10 minutes), lists its installations and
 * creates installation access tokens; the repository API then accepts those tokens, for the
 * installation's account and, when the installation is for selected repositories, only those.
 */
import {
  createPublicKey,
  randomBytes,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { OperationId } from './spec';
import { HttpError, paginate, type RestResponse } from './rest';

type Json = any;

export interface LocalGitHubApp {
  /** The app's id (the JWT's `iss`). */
  id: number;
  slug?: string;
  /** The app's public key (PEM), or its private key, from which the public key is taken. */
  key: string | KeyObject;
  installations: Array<{
    id: number;
    /** The account (user or organization) the app is installed on. */
    account: string;
    /** Only these repositories (names in the account); all of the account's when absent. */
    repositories?: string[];
  }>;
}

type Installation = LocalGitHubApp['installations'][number] & {
  app: LocalGitHubApp;
};

interface IssuedToken {
  installation: Installation;
  expiresAt: number;
}

const b64url = (s: string) => Buffer.from(s, 'base64url');
const iso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class GitHubApps {
  private readonly keys: Map<number, KeyObject>;
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly apps: LocalGitHubApp[],
    private readonly objects: {
      examples: Record<string, Json>;
      apiUrl: string;
      htmlUrl: string;
      /** A simple-user object. */
      user(login: string, id: number): Json;
      repository(owner: string, name: string): Json | undefined;
      repositories(owner: string): string[];
    },
    private readonly now: () => number = Date.now,
  ) {
    this.keys = new Map(
      apps.map(a => [
        a.id,
        typeof a.key !== 'string' && a.key.type === 'public'
          ? a.key
          : createPublicKey(a.key),
      ]),
    );
  }

  /** The app a `Bearer <JWT>` header authenticates, or an HttpError as GitHub words it. */
  appFor(header: string | undefined): LocalGitHubApp {
    const jwt = header?.replace(/^bearer\s+/i, '') ?? '';
    const parts = jwt.split('.');
    const fail = () =>
      new HttpError(401, 'A JSON web token could not be decoded');
    if (parts.length !== 3) throw fail();
    let head: Json;
    let claims: Json;
    try {
      head = JSON.parse(b64url(parts[0]).toString('utf8'));
      claims = JSON.parse(b64url(parts[1]).toString('utf8'));
    } catch {
      throw fail();
    }
    const app = this.apps.find(a => String(a.id) === String(claims?.iss));
    const key = app && this.keys.get(app.id);
    if (
      head?.alg !== 'RS256' ||
      !app ||
      !key ||
      !verify(
        'RSA-SHA256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        key,
        b64url(parts[2]),
      )
    )
      throw fail();
    const now = Math.floor(this.now() / 1000);
    if (
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number' ||
      claims.exp <= now ||
      claims.iat > now + 60 ||
      claims.exp - claims.iat > 600
    )
      throw new HttpError(
        401,
        "'Expiration time' claim ('exp') is too far in the future, or the token has expired",
      );
    return app;
  }

  /** Whether `token` is an installation token this server issued (and which). */
  installationFor(token: string): Installation | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return issued.installation;
  }

  /** Whether an installation may use a repository. */
  static allows(installation: Installation, owner: string, repo: string) {
    return (
      installation.account.toLowerCase() === owner.toLowerCase() &&
      (!installation.repositories ||
        installation.repositories.some(
          r => r.toLowerCase() === repo.toLowerCase(),
        ))
    );
  }

  private installationObject(i: Installation): Json {
    const ex = this.objects.examples['base-installation-items'][0];
    // The description's account is a user and an enterprise at once (allOf): both fields.
    const account = {
      ...this.objects.user(i.account, 1000 + i.id),
      name: i.account,
      slug: i.account.toLowerCase(),
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    };
    return {
      ...ex,
      id: i.id,
      account,
      repository_selection: i.repositories ? 'selected' : 'all',
      access_tokens_url: `${this.objects.apiUrl}/app/installations/${i.id}/access_tokens`,
      repositories_url: `${this.objects.apiUrl}/installation/repositories`,
      html_url: `${this.objects.htmlUrl}/settings/installations/${i.id}`,
      app_id: i.app.id,
      app_slug: i.app.slug ?? `app-${i.app.id}`,
      target_id: account.id,
      target_type: 'Organization',
      suspended_by: null,
      suspended_at: null,
    };
  }

  private installationsOf(app: LocalGitHubApp): Installation[] {
    return app.installations.map(i => ({ ...i, app }));
  }

  /** The app endpoints (JWT) and the installation's own (installation token). */
  handle(
    operation: OperationId,
    params: Record<string, string>,
    context: { app?: LocalGitHubApp; installation?: Installation },
    page: { query: Record<string, string>; url?: URL } = { query: {} },
  ): RestResponse {
    if (operation === 'apps/list-installations') {
      const { items, headers } = paginate(
        this.installationsOf(context.app!),
        page,
      );
      return {
        status: 200,
        body: items.map(i => this.installationObject(i)),
        headers,
      };
    }
    if (operation === 'apps/create-installation-access-token') {
      const installation = this.installationsOf(context.app!).find(
        i => String(i.id) === params.installation_id,
      );
      if (!installation) throw new HttpError(404, 'Not Found');
      const token = `ghs_${randomBytes(18).toString('base64url')}`;
      const expiresAt = this.now() + 3600_000;
      this.tokens.set(token, { installation, expiresAt });
      const ex = this.objects.examples['installation-token'];
      return {
        status: 201,
        body: {
          token,
          expires_at: iso(expiresAt),
          permissions: ex.permissions,
          repository_selection: installation.repositories ? 'selected' : 'all',
        },
      };
    }
    if (operation === 'apps/list-repos-accessible-to-installation') {
      const i = context.installation!;
      const names = i.repositories ?? this.objects.repositories(i.account);
      const all = names
        .map(n => this.objects.repository(i.account, n))
        .filter(Boolean);
      const { items, headers } = paginate(all, page);
      return {
        status: 200,
        body: { total_count: all.length, repositories: items },
        headers,
      };
    }
    throw new HttpError(404, 'Not Found');
  }
}
