/*
 * GitHub's GraphQL API (POST /api/graphql), executed by the reference implementation
 * (graphql-js) against GitHub's published schema (@octokit/graphql-schema, the schema
 * GitHub serves to introspection). A query GitHub would refuse (an unknown field, a
 * missing argument, a wrong variable type) is refused here with graphql-js's message; a
 * valid query is answered from the server's state by the resolvers below. A field of the
 * schema that github-local does not serve answers an error naming it, and is recorded as a
 * violation, like an unimplemented REST endpoint.
 *
 * Served: repository(owner, name) with id, name, nameWithOwner, owner, url, isPrivate,
 * defaultBranchRef, ref(qualifiedName), object(oid | expression), pullRequest(number),
 * pullRequests(...); Ref (name, prefix, target, associatedPullRequests); Commit, Tree,
 * TreeEntry, Blob; PullRequest; the mutations createCommitOnBranch and
 * markPullRequestReadyForReview; node(id) for repositories and pull requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  defaultFieldResolver,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { ZERO_SHA, type CommitInfo, type TreeChange } from './git';
import {
  GITHUB_WEB_FLOW,
  nodeId,
  type ObjectBuilder,
  type PullRecord,
} from './objects';
import type { RestResponse } from './rest';
import type { RepoState, Store } from './store';

type Json = any;

let cachedSchema: GraphQLSchema | undefined;

function schemaFile(): string {
  // The package exports only an ES module entry: find its folder where Node would look
  // for it, and read the schema.json beside that entry.
  const dirs = [
    ...(require.resolve.paths('@octokit/graphql-schema') ?? []),
    path.join(process.cwd(), 'node_modules'),
  ];
  for (const dir of dirs) {
    const candidate = path.join(
      dir,
      '@octokit',
      'graphql-schema',
      'schema.json',
    );
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    'github-local: @octokit/graphql-schema is not installed (its schema.json was not found)',
  );
}

/** GitHub's GraphQL schema (built once per process, about 0.6 s). */
export function githubGraphqlSchema(): GraphQLSchema {
  if (!cachedSchema) {
    const json = JSON.parse(fs.readFileSync(schemaFile(), 'utf8'));
    cachedSchema = buildClientSchema(json.data ?? json);
  }
  return cachedSchema;
}

/** An error as GitHub reports it next to `data` (e.g. type NOT_FOUND). */
class GitHubGraphqlError extends Error {
  constructor(
    message: string,
    readonly type?: string,
  ) {
    super(message);
  }
}

/**
 * What a GraphQL request is, for the call log and fault injection: `graphql` for a query,
 * `graphql/<mutation field>` for a mutation (e.g. `graphql/createCommitOnBranch`).
 */
export function graphqlOperationName(body: Json): string {
  try {
    const document = parse(String(body?.query ?? ''));
    const op = getOperationAST(document, body?.operationName);
    if (op?.operation === 'mutation') {
      const field = op.selectionSet.selections.find(s => s.kind === 'Field');
      if (field && field.kind === 'Field') return `graphql/${field.name.value}`;
    }
  } catch {
    // not parseable: answered with the parse error later
  }
  return 'graphql';
}

export interface GraphqlContext {
  /** Login of the authenticated user (author of commits). */
  user: string;
  /** May the caller see this repository (an app installation sees only its own)? */
  allows: (owner: string, name: string) => boolean;
}

interface Ctx extends GraphqlContext {
  unimplemented: string[];
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const SHA_RE = /^[0-9a-f]{40}$/;

const fieldResolver: GraphQLFieldResolver<any, Ctx> = (
  source,
  args,
  ctx,
  info,
) => {
  if (
    source &&
    typeof source === 'object' &&
    !(info.fieldName in source) &&
    !info.fieldName.startsWith('__')
  ) {
    const name = `${info.parentType.name}.${info.fieldName}`;
    ctx.unimplemented.push(name);
    throw new GitHubGraphqlError(`github-local does not implement ${name}`);
  }
  return defaultFieldResolver(source, args, ctx, info);
};

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorOf = (i: number) =>
  Buffer.from(`cursor:v2:${i}`).toString('base64');
const indexOf = (cursor: string | null | undefined): number | undefined => {
  if (!cursor) return undefined;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString());
  if (!m)
    throw new GitHubGraphqlError(
      `\`${cursor}\` does not appear to be a valid cursor.`,
    );
  return Number(m[1]);
};

/** A connection (nodes, edges, pageInfo, totalCount) with GitHub's paging rules. */
function connection<T>(
  items: T[],
  args: ConnectionArgs,
  field: string,
  nodeOf: (item: T) => Json,
): Json {
  const { first, last } = args;
  if (
    (first === null || first === undefined) &&
    (last === null || last === undefined)
  )
    throw new GitHubGraphqlError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  for (const [name, n] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (n === null || n === undefined) continue;
    if (n < 0)
      throw new GitHubGraphqlError(
        `\`${name}\` on the \`${field}\` connection cannot be less than zero.`,
      );
    if (n > 100)
      throw new GitHubGraphqlError(
        `Requesting ${n} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`,
      );
  }
  let start = 0;
  let end = items.length;
  const after = indexOf(args.after);
  const before = indexOf(args.before);
  if (after !== undefined) start = Math.max(start, after + 1);
  if (before !== undefined) end = Math.min(end, before);
  if (first !== null && first !== undefined) end = Math.min(end, start + first);
  if (last !== null && last !== undefined) start = Math.max(start, end - last);
  const edges = [];
  for (let i = start; i < end; i++)
    edges.push({ cursor: cursorOf(i), node: nodeOf(items[i]) });
  return {
    totalCount: items.length,
    edges,
    nodes: edges.map(e => e.node),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}

function isBase64(value: string): boolean {
  const clean = value.replace(/\s+/g, '');
  return (
    /^[A-Za-z0-9+/]*={0,2}$/.test(clean) &&
    // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests
    Buffer.from(clean, 'base64').toString('base64').replace(/=+$/, '') ===
      // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests
      clean.replace(/=+$/, '')
  );
}

export class GraphqlApi {
  constructor(
    private readonly store: Store,
    private readonly objects: ObjectBuilder,
  ) {}

  /**
   * Answers a POST /graphql body as GitHub does: 200 with `data` and/or `errors`. Fields
   * the schema has but this server does not serve are returned in `unimplemented`.
   */
  async handle(
    body: Json,
    context: GraphqlContext,
  ): Promise<{ response: RestResponse; unimplemented: string[] }> {
    const ctx: Ctx = { ...context, unimplemented: [] };
    const answer = (status: number, payload: Json) => ({
      response: { status, body: payload },
      unimplemented: ctx.unimplemented,
    });
    if (typeof body?.query !== 'string' || body.query.trim() === '') {
      return answer(200, {
        errors: [
          {
            message:
              'A query attribute must be specified and must be a string.',
          },
        ],
      });
    }
    const schema = githubGraphqlSchema();
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return answer(200, { errors: [format(error as GraphQLError)] });
    }
    const problems = validate(schema, document);
    if (problems.length) return answer(200, { errors: problems.map(format) });
    const result = await execute({
      schema,
      document,
      rootValue: this.root(ctx),
      contextValue: ctx,
      variableValues: body.variables ?? {},
      operationName: body.operationName,
      fieldResolver,
    });
    const payload: Json = {};
    if (result.data !== undefined) payload.data = result.data;
    if (result.errors?.length) payload.errors = result.errors.map(format);
    return answer(200, payload);
  }

  private root(ctx: Ctx): Json {
    return {
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const repo = this.store.get(owner, name);
        if (!repo || !ctx.allows(repo.owner, repo.name))
          throw new GitHubGraphqlError(
            `Could not resolve to a Repository with the name '${owner}/${name}'.`,
            'NOT_FOUND',
          );
        return this.repository(repo);
      },
      node: ({ id }: { id: string }) => this.node(id, ctx),
      createCommitOnBranch: ({ input }: { input: Json }) =>
        this.createCommitOnBranch(input, ctx),
      markPullRequestReadyForReview: ({ input }: { input: Json }) =>
        this.markReady(input, ctx),
    };
  }

  private node(id: string, ctx: Ctx): Json {
    for (const repo of this.store.list()) {
      if (!ctx.allows(repo.owner, repo.name)) continue;
      if (nodeId('Repository', repo.id) === id) return this.repository(repo);
      const pr = repo.pulls.find(p => nodeId('PullRequest', p.id) === id);
      if (pr) return this.pull(repo, pr);
    }
    throw new GitHubGraphqlError(
      `Could not resolve to a node with the global id of '${id}'`,
      'NOT_FOUND',
    );
  }

  private qualify(name: string): string[] {
    if (name.startsWith('refs/')) return [name];
    return [`refs/heads/${name}`, `refs/tags/${name}`];
  }

  private repository(repo: RepoState): Json {
    const html = `${this.objects.urls.html}/${repo.owner}/${repo.name}`;
    return {
      __typename: 'Repository',
      id: nodeId('Repository', repo.id),
      databaseId: repo.id,
      name: repo.name,
      nameWithOwner: `${repo.owner}/${repo.name}`,
      url: html,
      isPrivate: true,
      owner: {
        __typename: 'User',
        id: nodeId('User', 1),
        login: repo.owner,
        url: `${this.objects.urls.html}/${repo.owner}`,
      },
      defaultBranchRef: () =>
        this.ref(repo, `refs/heads/${repo.defaultBranch}`),
      ref: async ({ qualifiedName }: { qualifiedName: string }) => {
        for (const candidate of this.qualify(qualifiedName)) {
          const ref = await this.ref(repo, candidate);
          if (ref) return ref;
        }
        return null;
      },
      object: async ({
        oid,
        expression,
      }: {
        oid?: string;
        expression?: string;
      }) => {
        if (oid) return this.gitObject(repo, oid);
        if (!expression) return null;
        const colon = expression.indexOf(':');
        const rev = colon === -1 ? expression : expression.slice(0, colon);
        const commit = await repo.git.resolveCommitish(rev);
        if (!commit) return null;
        if (colon === -1) return this.gitObject(repo, commit);
        // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests
        const filePath = expression.slice(colon + 1).replace(/^\/+|\/+$/g, '');
        if (filePath === '')
          return this.gitObject(
            repo,
            (await repo.git.readCommit(commit))!.tree,
          );
        const entry = await repo.git.entryAt(commit, filePath);
        return entry ? this.gitObject(repo, entry.sha, filePath) : null;
      },
      pullRequest: ({ number }: { number: number }) => {
        const pr = repo.pulls.find(p => p.number === number);
        if (!pr)
          throw new GitHubGraphqlError(
            `Could not resolve to a PullRequest with the number of ${number}.`,
            'NOT_FOUND',
          );
        return this.pull(repo, pr);
      },
      pullRequests: (
        args: ConnectionArgs & {
          states?: string[] | null;
          headRefName?: string | null;
          baseRefName?: string | null;
        },
      ) =>
        connection(
          this.filterPulls(repo.pulls, args),
          args,
          'pullRequests',
          pr => this.pull(repo, pr),
        ),
    };
  }

  private filterPulls(
    pulls: PullRecord[],
    args: {
      states?: string[] | null;
      headRefName?: string | null;
      baseRefName?: string | null;
      orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
    },
  ): PullRecord[] {
    // Oldest first, as GitHub lists them without orderBy; CREATED_AT follows the number.
    const field = args.orderBy?.field ?? 'CREATED_AT';
    const key = (p: PullRecord): string =>
      field === 'UPDATED_AT'
        ? `${p.updatedAt}/${1e9 + p.number}`
        : String(1e9 + p.number);
    const sign = args.orderBy?.direction === 'DESC' ? -1 : 1;
    return pulls
      .filter(p => !args.states || args.states.includes(this.pullState(p)))
      .filter(p => !args.headRefName || p.head === args.headRefName)
      .filter(p => !args.baseRefName || p.base === args.baseRefName)
      .sort((a, b) => sign * key(a).localeCompare(key(b)));
  }

  private pullState(pr: PullRecord): 'OPEN' | 'CLOSED' | 'MERGED' {
    if (pr.mergedAt) return 'MERGED';
    return pr.state === 'open' ? 'OPEN' : 'CLOSED';
  }

  private async ref(repo: RepoState, qualified: string): Promise<Json> {
    const sha = await repo.git.resolveRef(qualified);
    if (!sha) return null;
    const slash = qualified.indexOf('/', 'refs/'.length);
    const prefix = qualified.slice(0, slash + 1);
    const name = qualified.slice(slash + 1);
    return {
      __typename: 'Ref',
      id: nodeId('Ref', `${repo.id}:${qualified}`),
      name,
      prefix,
      repository: () => this.repository(repo),
      target: () => this.gitObject(repo, sha),
      associatedPullRequests: (
        args: ConnectionArgs & {
          states?: string[] | null;
          headRefName?: string | null;
          baseRefName?: string | null;
        },
      ) =>
        connection(
          prefix === 'refs/heads/'
            ? this.filterPulls(
                repo.pulls.filter(p => p.head === name),
                args,
              )
            : [],
          args,
          'associatedPullRequests',
          pr => this.pull(repo, pr),
        ),
    };
  }

  private pull(repo: RepoState, pr: PullRecord): Json {
    const url = `${this.objects.urls.html}/${repo.owner}/${repo.name}/pull/${pr.number}`;
    return {
      __typename: 'PullRequest',
      id: nodeId('PullRequest', pr.id),
      databaseId: pr.id,
      number: pr.number,
      title: pr.title,
      body: pr.body ?? '',
      url,
      permalink: url,
      state: this.pullState(pr),
      closed: pr.state === 'closed',
      merged: pr.mergedAt !== null,
      mergedAt: pr.mergedAt,
      closedAt: pr.closedAt,
      createdAt: pr.createdAt,
      updatedAt: pr.updatedAt,
      isDraft: pr.draft,
      headRefName: pr.head,
      baseRefName: pr.base,
      headRefOid: async () =>
        pr.headShaAtClose ??
        (await repo.git.resolveRef(`refs/heads/${pr.head}`)) ??
        ZERO_SHA,
      baseRefOid: async () =>
        (await repo.git.resolveRef(`refs/heads/${pr.base}`)) ?? ZERO_SHA,
      headRef: () =>
        pr.state === 'open' || !pr.headShaAtClose
          ? this.ref(repo, `refs/heads/${pr.head}`)
          : null,
      baseRef: () => this.ref(repo, `refs/heads/${pr.base}`),
      repository: () => this.repository(repo),
    };
  }

  /** `dir`: where a tree is in its commit, for its entries' full paths (GitHub's TreeEntry.path). */
  private async gitObject(
    repo: RepoState,
    oid: string,
    dir = '',
  ): Promise<Json> {
    if (!SHA_RE.test(oid)) return null;
    const object = await repo.git.readObject(oid);
    if (!object) return null;
    const common = {
      id: nodeId(object.type[0].toUpperCase() + object.type.slice(1), oid),
      oid,
      abbreviatedOid: oid.slice(0, 7),
      repository: () => this.repository(repo),
    };
    if (object.type === 'blob') {
      const binary = object.content.includes(0);
      return {
        ...common,
        __typename: 'Blob',
        byteSize: object.content.length,
        isBinary: binary,
        isTruncated: false,
        text: binary ? null : object.content.toString('utf8'),
      };
    }
    if (object.type === 'tree') {
      return {
        ...common,
        __typename: 'Tree',
        // A blob's size is read only when a query asks for it (a big tree listed for its
        // paths and oids reads no blob, as GitHub reads only the tree objects).
        entries: async () =>
          (await repo.git.lsTree(oid)).map(e =>
            this.treeEntry(repo, e, dir ? `${dir}/${e.path}` : e.path),
          ),
      };
    }
    if (object.type === 'commit') {
      return this.commit(repo, (await repo.git.readCommit(oid))!, common);
    }
    return null;
  }

  private treeEntry(
    repo: RepoState,
    e: { mode: string; type: string; sha: string; path: string; size?: number },
    fullPath: string,
  ): Json {
    const name = fullPath.split('/').pop()!;
    const dot = name.lastIndexOf('.');
    return {
      __typename: 'TreeEntry',
      name,
      path: fullPath,
      nameRaw: Buffer.from(name).toString('base64'),
      pathRaw: Buffer.from(fullPath).toString('base64'),
      mode: parseInt(e.mode, 8),
      type: e.type,
      oid: e.sha,
      size:
        e.size ??
        (async () =>
          e.type === 'blob'
            ? ((await repo.git.readObject(e.sha))?.content.length ?? 0)
            : 0),
      extension: dot > 0 ? name.slice(dot) : null,
      isGenerated: false,
      object: () => this.gitObject(repo, e.sha, fullPath),
    };
  }

  private commit(repo: RepoState, c: CommitInfo, common: Json): Json {
    const message = c.message.replace(/\n$/, '');
    const newline = message.indexOf('\n');
    const actor = (who: CommitInfo['author']) => ({
      __typename: 'GitActor',
      name: who.name,
      email: who.email,
      date: who.date,
      user: null,
    });
    const html = `${this.objects.urls.html}/${repo.owner}/${repo.name}/commit/${c.sha}`;
    return {
      ...common,
      __typename: 'Commit',
      message,
      messageHeadline: newline === -1 ? message : message.slice(0, newline),
      messageBody:
        newline === -1 ? '' : message.slice(newline + 1).replace(/^\n/, ''),
      committedDate: c.committer.date,
      authoredDate: c.author.date,
      author: actor(c.author),
      committer: actor(c.committer),
      url: html,
      commitUrl: html,
      tree: () => this.gitObject(repo, c.tree),
      file: async ({ path: filePath }: { path: string }) => {
        // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests
        const clean = filePath.replace(/^\/+|\/+$/g, '');
        const entry = await repo.git.entryAt(c.sha, clean);
        return entry ? this.treeEntry(repo, entry, clean) : null;
      },
      parents: (args: ConnectionArgs) =>
        connection(c.parents, args, 'parents', sha =>
          this.gitObject(repo, sha),
        ),
    };
  }

  private async createCommitOnBranch(input: Json, ctx: Ctx): Promise<Json> {
    const branchInput = input.branch ?? {};
    let repo: RepoState | undefined;
    let branchName: string | undefined = branchInput.branchName ?? undefined;
    if (branchInput.repositoryNameWithOwner) {
      const [owner, name] = String(branchInput.repositoryNameWithOwner).split(
        '/',
      );
      repo = this.store.get(owner ?? '', name ?? '');
    } else if (branchInput.id) {
      for (const r of this.store.list()) {
        for (const b of await r.git.listBranches()) {
          if (
            nodeId('Ref', `${r.id}:refs/heads/${b.name}`) === branchInput.id
          ) {
            repo = r;
            branchName = b.name;
          }
        }
      }
    }
    if (!repo || !ctx.allows(repo.owner, repo.name) || !branchName)
      throw new GitHubGraphqlError(
        branchInput.id
          ? `Could not resolve to a node with the global id of '${branchInput.id}'`
          : `Could not resolve to a Repository with the name '${branchInput.repositoryNameWithOwner ?? ''}'.`,
        'NOT_FOUND',
      );
    const target = repo;
    const qualified = `refs/heads/${branchName.replace(/^refs\/heads\//, '')}`;
    const headline = String(input.message?.headline ?? '');
    if (headline.trim() === '')
      throw new GitHubGraphqlError('A commit message headline is required.');
    const expected = String(input.expectedHeadOid);
    const additions: Json[] = input.fileChanges?.additions ?? [];
    const deletions: Json[] = input.fileChanges?.deletions ?? [];
    const changes: TreeChange[] = [];
    for (const d of deletions)
      changes.push({
        path: checkPath(d.path),
        mode: '100644',
        type: 'blob',
        sha: null,
      });
    for (const a of additions) {
      const filePath = checkPath(a.path);
      if (!isBase64(String(a.contents)))
        throw new GitHubGraphqlError(
          `The contents of ${filePath} are not valid base64 (fileChanges.additions.contents is a Base64String).`,
        );
      changes.push({
        path: filePath,
        mode: '100644',
        type: 'blob',
        sha: await target.git.writeBlob(Buffer.from(a.contents, 'base64')),
      });
    }
    return target.lock.run(async () => {
      const head = await target.git.resolveRef(qualified);
      if (!head)
        throw new GitHubGraphqlError(
          `A ref named "${qualified.slice('refs/heads/'.length)}" does not exist in ${target.owner}/${target.name}.`,
          'NOT_FOUND',
        );
      if (head !== expected)
        throw new GitHubGraphqlError(
          `Expected branch to point to "${expected}" but it did not. Pull and try again.`,
          'STALE_DATA',
        );
      const headCommit = (await target.git.readCommit(head))!;
      for (const d of deletions) {
        if (!(await target.git.entryAt(head, d.path)))
          throw new GitHubGraphqlError(
            `Cannot delete ${d.path}: it does not exist on ${qualified.slice('refs/heads/'.length)}.`,
          );
      }
      const tree = await target.git.writeTree(headCommit.tree, changes);
      const me = {
        name: ctx.user,
        email: `${ctx.user}@users.noreply.github-local`,
      };
      const body = input.message?.body ? String(input.message.body) : '';
      const sha = await target.git.commitTree({
        tree,
        parents: [head],
        message: body ? `${headline}\n\n${body}` : headline,
        author: me,
        // GitHub commits (and signs) these as its web flow: "verified".
        committer: GITHUB_WEB_FLOW,
      });
      if (!(await target.git.compareAndSwapRef(qualified, sha, head)))
        throw new GitHubGraphqlError(
          `Expected branch to point to "${expected}" but it did not. Pull and try again.`,
          'STALE_DATA',
        );
      return {
        clientMutationId: input.clientMutationId ?? null,
        commit: this.commit(target, (await target.git.readCommit(sha))!, {
          id: nodeId('Commit', sha),
          oid: sha,
          abbreviatedOid: sha.slice(0, 7),
          repository: () => this.repository(target),
        }),
        ref: () => this.ref(target, qualified),
      };
    });
  }

  private async markReady(input: Json, ctx: Ctx): Promise<Json> {
    for (const repo of this.store.list()) {
      if (!ctx.allows(repo.owner, repo.name)) continue;
      const pr = repo.pulls.find(
        p => nodeId('PullRequest', p.id) === input.pullRequestId,
      );
      if (!pr) continue;
      return repo.lock.run(async () => {
        pr.draft = false;
        pr.updatedAt = now();
        await this.store.savePulls(repo);
        return {
          clientMutationId: input.clientMutationId ?? null,
          pullRequest: this.pull(repo, pr),
        };
      });
    }
    throw new GitHubGraphqlError(
      `Could not resolve to a node with the global id of '${input.pullRequestId}'`,
      'NOT_FOUND',
    );
  }
}

function checkPath(p: unknown): string {
  const value = String(p ?? '');
  if (
    value === '' ||
    value.startsWith('/') ||
    value
      .split('/')
      .some(s => s === '' || s === '.' || s === '..' || s === '.git')
  )
    throw new GitHubGraphqlError(
      `"${value}" is not a valid path in a commit (fileChanges: a path relative to the repository root)`,
    );
  return value;
}

/** An error in GitHub's shape: message, locations, path, and GitHub's `type` when known. */
function format(error: GraphQLError): Json {
  const out: Json = { message: error.message };
  const original = error.originalError;
  if (original instanceof GitHubGraphqlError && original.type)
    out.type = original.type;
  if (error.path) out.path = error.path;
  if (error.locations) out.locations = error.locations;
  return out;
}
