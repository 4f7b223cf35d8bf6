/*
 * A few web pages, so a person can see what arrived: repositories, pull requests with their
 * diff (and a merge button), files. Plain HTML, no scripts.
 */
import { HttpError, type RestApi } from './rest';
import type { Store } from './store';

export interface Page {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        c
      ]!,
  );

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · github-local</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1f2328}
header{background:#24292f;color:#fff;padding:10px 24px}header a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:980px;margin:24px auto;padding:0 24px}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:12px;overflow:auto}
.add{color:#116329;background:#dafbe1}.del{color:#82071e;background:#ffebe9}.hunk{color:#6e7781}
.state{display:inline-block;border-radius:2em;padding:2px 10px;color:#fff;font-weight:600}
.open{background:#1f883d}.closed{background:#cf222e}.merged{background:#8250df}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #d0d7de;padding:6px}
button{background:#1f883d;color:#fff;border:0;border-radius:6px;padding:6px 16px;font-weight:600;cursor:pointer}
</style></head><body><header><a href="/">github-local</a> — a local stand-in for GitHub</header><main>${body}</main></body></html>`;
}

function diffHtml(diff: string): string {
  if (!diff.trim()) return '<p>No changes.</p>';
  const lines = diff.split('\n').map(line => {
    let cls = '';
    if (line.startsWith('+') && !line.startsWith('+++')) cls = 'add';
    else if (line.startsWith('-') && !line.startsWith('---')) cls = 'del';
    else if (line.startsWith('@@')) cls = 'hunk';
    return cls ? `<span class="${cls}">${esc(line)}</span>` : esc(line);
  });
  return `<pre>${lines.join('\n')}</pre>`;
}

const html = (title: string, body: string, status = 200): Page => ({
  status,
  body: layout(title, body),
});
const notFound = () => html('Not found', '<h1>Not found</h1>', 404);

export async function renderPage(
  ctx: { store: Store; rest: RestApi; user: string },
  method: string,
  url: URL,
  readBody: () => Promise<string>,
): Promise<Page> {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const { store } = ctx;
  if (parts.length === 0) {
    const items = store
      .list()
      .map(
        r =>
          `<li><a href="/${esc(r.owner)}/${esc(r.name)}">${esc(r.owner)}/${esc(r.name)}</a> (${r.pulls.filter(p => p.state === 'open').length} open pull requests)</li>`,
      )
      .join('');
    return html(
      'Repositories',
      `<h1>Repositories</h1><ul>${items || '<li>none</li>'}</ul>`,
    );
  }
  if (parts.length < 2) return notFound();
  const repo = store.get(parts[0], parts[1]);
  if (!repo) return notFound();
  const base = `/${esc(repo.owner)}/${esc(repo.name)}`;
  const [, , section, ...rest] = parts;

  if (section === undefined || (section === 'tree' && rest.length > 0)) {
    const ref = section === 'tree' ? rest.join('/') : repo.defaultBranch;
    const sha = await repo.git.resolveCommitish(ref);
    const files = sha ? await repo.git.listFiles(sha) : [];
    const fileRows = files
      .map(
        f =>
          `<tr><td><a href="${base}/blob/${esc(ref)}/${esc(f.path)}">${esc(f.path)}</a></td></tr>`,
      )
      .join('');
    const pulls = [...repo.pulls]
      .reverse()
      .map(p => {
        const state = p.mergedAt ? 'merged' : p.state;
        return `<tr><td><span class="state ${state}">${state}</span></td><td><a href="${base}/pull/${p.number}">#${p.number} ${esc(p.title)}</a></td><td>${esc(p.head)} → ${esc(p.base)}</td></tr>`;
      })
      .join('');
    return html(
      `${repo.owner}/${repo.name}`,
      `<h1>${esc(repo.owner)}/${esc(repo.name)}</h1>
<h2>Pull requests</h2><table>${pulls || '<tr><td>none yet</td></tr>'}</table>
<h2>Files on ${esc(ref)}</h2><table>${fileRows || '<tr><td>empty</td></tr>'}</table>
<p>Clone: <code>git clone ${esc(store.dataDir)}/${esc(repo.owner)}/${esc(repo.name)}.git</code></p>`,
    );
  }

  if (section === 'pull' && rest.length >= 1) {
    const number = Number(rest[0]);
    const pr = repo.pulls.find(p => p.number === number);
    if (!pr) return notFound();
    if ((rest[1] === 'merge' || rest[1] === 'approve') && method === 'POST') {
      await readBody();
      try {
        await ctx.rest.handle(
          rest[1] === 'merge' ? 'pulls/merge' : 'pulls/create-review',
          {
            params: {
              owner: repo.owner,
              repo: repo.name,
              pull_number: String(number),
            },
            query: {},
            body: rest[1] === 'merge' ? {} : { event: 'APPROVE' },
            user: ctx.user,
          },
        );
      } catch (error) {
        if (error instanceof HttpError)
          return html(
            `${rest[1] === 'merge' ? 'Merge' : 'Review'} failed`,
            `<h1>${rest[1] === 'merge' ? 'Merge' : 'Review'} failed</h1><p>${esc(error.message)}</p>`,
            error.status,
          );
        throw error;
      }
      return {
        status: 303,
        body: '',
        headers: { location: `${base}/pull/${number}` },
      };
    }
    if (rest.length > 1) return notFound();
    const baseSha = await repo.git.resolveRef(`refs/heads/${pr.base}`);
    const headSha =
      pr.headShaAtClose ?? (await repo.git.resolveRef(`refs/heads/${pr.head}`));
    let diff = '';
    if (baseSha && headSha) {
      const from = pr.mergeCommitSha
        ? ((await repo.git.readCommit(pr.mergeCommitSha))?.parents[0] ??
          baseSha)
        : baseSha;
      diff = await repo.git.diff(from, headSha).catch(() => '');
    }
    const state = pr.mergedAt ? 'merged' : pr.state;
    const extra = [
      pr.draft ? 'draft' : '',
      pr.labels.length ? `labels: ${pr.labels.map(esc).join(', ')}` : '',
      pr.requestedReviewers.length || pr.requestedTeams.length
        ? `reviewers: ${[...pr.requestedReviewers, ...pr.requestedTeams.map(t => `team ${t}`)].map(esc).join(', ')}`
        : '',
      ...(pr.reviews ?? [])
        .filter(r => r.state !== 'PENDING')
        .map(
          r =>
            `${esc(r.state.toLowerCase().replace('_', ' '))} by ${esc(r.user)}`,
        ),
    ]
      .filter(Boolean)
      .join(' · ');
    const mergeForm =
      pr.state === 'open'
        ? `<form method="post" action="${base}/pull/${number}/approve"><button type="submit">Approve</button></form><form method="post" action="${base}/pull/${number}/merge"><button type="submit">Merge pull request</button></form>`
        : '';
    return html(
      pr.title,
      `<h1>${esc(pr.title)} <small>#${pr.number}</small></h1>
<p><span class="state ${state}">${state}</span> ${esc(pr.user)} wants to merge <code>${esc(pr.head)}</code> into <code>${esc(pr.base)}</code>${extra ? ` · ${extra}` : ''}</p>
<h2>Description</h2><pre>${esc(pr.body ?? '')}</pre>
<h2>Changes</h2>${diffHtml(diff)}${mergeForm}`,
    );
  }

  if ((section === 'blob' || section === 'raw') && rest.length >= 2) {
    // The ref may contain slashes: try the longest prefix that resolves.
    for (let i = rest.length - 1; i >= 1; i--) {
      const ref = rest.slice(0, i).join('/');
      const sha = await repo.git.resolveCommitish(ref);
      if (!sha) continue;
      const filePath = rest.slice(i).join('/');
      const entry = await repo.git.entryAt(sha, filePath);
      if (!entry || entry.type !== 'blob') return notFound();
      const content = await repo.git.readBlob(entry.sha);
      if (section === 'raw')
        return {
          status: 200,
          body: content.toString('utf8'),
          contentType: 'text/plain; charset=utf-8',
        };
      return html(
        filePath,
        `<h1>${esc(filePath)}</h1><p>at <code>${esc(ref)}</code></p><pre>${esc(content.toString('utf8'))}</pre>`,
      );
    }
    return notFound();
  }

  if (section === 'compare' && rest.length >= 1) {
    const [from, to] = rest.join('/').split('...');
    const fromSha = from && (await repo.git.resolveCommitish(from));
    const toSha = to && (await repo.git.resolveCommitish(to));
    if (!fromSha || !toSha) {
      return html(
        'Compare',
        `<h1>Compare ${esc(from ?? '')}...${esc(to ?? '')}</h1><p>Nothing to compare: a branch does not exist (yet).</p>`,
      );
    }
    return html(
      'Compare',
      `<h1>Compare ${esc(from)}...${esc(to)}</h1>${diffHtml(await repo.git.diff(fromSha, toSha))}`,
    );
  }

  if (section === 'commit' && rest.length === 1) {
    const commit = await repo.git.readCommit(rest[0]);
    if (!commit) return notFound();
    const diff = commit.parents[0]
      ? await repo.git.diff(commit.parents[0], commit.sha)
      : '';
    return html(
      `Commit ${commit.sha.slice(0, 7)}`,
      `<h1>Commit ${commit.sha.slice(0, 7)}</h1><pre>${esc(commit.message)}</pre>${diffHtml(diff)}`,
    );
  }
  return notFound();
}
