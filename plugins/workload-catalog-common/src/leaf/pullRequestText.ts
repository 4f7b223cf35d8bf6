/*
 * The text of a catalog pull request: branch name, title and body, written for the reviewer
 * who has to decide whether this workload may run where it asks to run. Pure functions of
 * the leaf, so the form can preview exactly what the pull request will say.
 */
import type { WorkloadLeaf } from '../schema/leaf';

const TYPE_DESCRIPTIONS: Record<WorkloadLeaf['workloadType'], string> = {
  BASIC_CONTAINER_LOAD: 'container service',
  STATEFUL_CONTAINER_LOAD: 'stateful container service',
  BASIC_CONTAINER_ROLLOUT: 'container service with progressive rollout',
  ML_INFERENCE_LOAD: 'Text Generation Inference service',
  OLLAMA_INFERENCE_LOAD: 'Ollama inference service',
};

/** Branch of the pull request for a leaf: one per leaf path, so one open PR per service. */
export function leafBranchName(
  leafPath: string,
  prefix = 'workload-catalog',
): string {
  return `${prefix}/${leafPath.replace(/\.ya?ml$/, '')}`;
}

/** The model of an inference leaf as one string (`phi:latest`, `org/name@revision`). */
export function leafModelSummary(leaf: WorkloadLeaf): string | undefined {
  const model = (leaf as { model?: unknown }).model;
  if (typeof model === 'string') return model;
  if (model && typeof model === 'object' && 'id' in model) {
    const { id, revision } = model as { id: string; revision?: string };
    return revision ? `${id}@${revision}` : id;
  }
  return undefined;
}

function gpuCount(leaf: WorkloadLeaf): number | undefined {
  const gpu = (leaf as { gpu?: { count?: number } }).gpu;
  return gpu?.count;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line: what is deployed, where. */
export function pullRequestTitle(
  leaf: WorkloadLeaf,
  options: { update?: boolean } = {},
): string {
  const verb = options.update ? 'Update' : 'Add';
  const model = leafModelSummary(leaf);
  const gpus = gpuCount(leaf);
  let what: string;
  if (model !== undefined) {
    what = `${model}${gpus !== undefined ? ` on ${gpus === 0 ? 'CPU' : plural(gpus, 'GPU')}` : ''}`;
  } else {
    const image = (leaf.container as { image?: string } | undefined)?.image;
    what = image ? `container ${image}` : TYPE_DESCRIPTIONS[leaf.workloadType];
  }
  return `${verb} ${leaf.serviceName} in ${leaf.environment}: ${what}`;
}

export interface PullRequestBodyOptions {
  /** Path of the leaf in the catalog repo. */
  leafPath: string;
  /** The leaf as committed (printLeaf). */
  yaml: string;
  /** The leaf's current YAML on the base branch, when this updates it. */
  previousYaml?: string;
  /** Fields that change, when this updates a leaf: `gpu.count: 1 → 2`. */
  changes?: string[];
  /** Link back to the Backstage task that opened the pull request. */
  taskUrl?: string;
  /** Who asked for it (an entity ref such as user:default/jane). */
  requestedBy?: string;
  /** A marker for tools (hidden in rendered Markdown). */
  marker?: string;
}

function resourcesSummary(leaf: WorkloadLeaf): string | undefined {
  const container = leaf.container as
    | {
        resources?: {
          requests?: { cpu?: string; memory?: string };
          limits?: { cpu?: string; memory?: string };
        };
        resourcePreset?: string;
      }
    | undefined;
  if (container?.resourcePreset) return `preset ${container.resourcePreset}`;
  const r = container?.resources;
  if (!r) return undefined;
  const side = (name: string, v?: { cpu?: string; memory?: string }) =>
    v && (v.cpu || v.memory)
      ? `${name} ${[v.cpu && `${v.cpu} CPU`, v.memory].filter(Boolean).join(' / ')}`
      : undefined;
  return (
    [side('requests', r.requests), side('limits', r.limits)]
      .filter(Boolean)
      .join(', ') || undefined
  );
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** Markdown body: a summary table, what changes, the leaf, and what happens on merge. */
export function pullRequestBody(
  leaf: WorkloadLeaf,
  options: PullRequestBodyOptions,
): string {
  const update = options.previousYaml !== undefined;
  const rows: Array<[string, string]> = [
    [
      'Workload',
      `${TYPE_DESCRIPTIONS[leaf.workloadType]} (${code(leaf.workloadType)})`,
    ],
    ['Service', code(leaf.serviceName)],
    ['Service catalog', code(leaf.serviceCatalog)],
    ['Environment', code(leaf.environment)],
    ['Namespace', code(leaf.namespace)],
  ];
  const model = leafModelSummary(leaf);
  if (model !== undefined) rows.push(['Model', code(model)]);
  const gpus = gpuCount(leaf);
  const replicas = (leaf.container as { replicas?: number } | undefined)
    ?.replicas;
  if (gpus !== undefined) {
    const product = (leaf as { gpu?: { product?: string } }).gpu?.product;
    const total =
      replicas !== undefined && replicas > 1
        ? ` (${gpus * replicas} in total for ${replicas} replicas)`
        : '';
    rows.push([
      'GPUs',
      `${gpus === 0 ? '0 (CPU only)' : `${gpus} per replica`}${product ? `, ${code(product)}` : ''}${total}`,
    ]);
  }
  if (replicas !== undefined) rows.push(['Replicas', String(replicas)]);
  const resources = resourcesSummary(leaf);
  if (resources) rows.push(['Resources', resources]);
  const ingress = leaf.ingress as
    { enabled?: boolean; host?: string; path?: string } | undefined;
  rows.push([
    'Ingress',
    ingress?.enabled && ingress.host
      ? `https://${ingress.host}${ingress.path && ingress.path !== '/' ? ingress.path : ''}`
      : 'none (cluster-internal only)',
  ]);
  const owner = (leaf as { owner?: string }).owner;
  if (owner) rows.push(['Owner', code(owner)]);
  rows.push(['Leaf file', code(options.leafPath)]);

  const lines: string[] = [];
  lines.push(
    `## ${update ? 'Update' : 'New'} workload ${code(leaf.serviceName)} in ${code(leaf.environment)}`,
    '',
  );
  const description = (leaf as { description?: string }).description;
  if (description) lines.push(`> ${description.replace(/\n/g, ' ')}`, '');
  lines.push(
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
    '',
  );
  if (update) {
    lines.push('### What changes', '');
    if (options.changes && options.changes.length > 0)
      lines.push(...options.changes.map(c => `- ${c}`));
    else lines.push('- nothing: the leaf is the same as on the base branch');
    lines.push('');
  }
  const by = options.requestedBy ? ` by ${code(options.requestedBy)}` : '';
  if (options.taskUrl)
    lines.push(
      `Requested${by} through [this Backstage task](${options.taskUrl}).`,
      '',
    );
  else if (by) lines.push(`Requested${by}.`, '');
  lines.push(
    '<details open><summary>Leaf</summary>',
    '',
    '```yaml',
    options.yaml.trimEnd(),
    '```',
    '',
    '</details>',
    '',
  );
  lines.push(
    '### Reviewing',
    '',
    `- The leaf was validated against the Workload Catalog schema and the platform's policy (environments, namespaces, GPU maximum) before this pull request was opened; the catalog's CI runs \`workload-catalog validate\` again.`,
    `- Check that ${code(leaf.namespace)} in ${code(leaf.environment)} has room for it${gpus ? ` (${plural(gpus, 'GPU')} per replica)` : ''}.`,
    `- On merge, Argo CD deploys it and the service's page in Backstage shows its status.`,
  );
  if (options.marker)
    lines.push('', `<!-- ${options.marker.replace(/-->/g, '')} -->`);
  return `${lines.join('\n')}\n`;
}

/** `path: old → new` lines for the fields that differ between two leaves (values as JSON). */
export function leafChanges(previous: unknown, next: unknown): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    const isObj = (v: unknown): v is Record<string, unknown> =>
      !!v && typeof v === 'object' && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
        walk(a[key], b[key], path ? `${path}.${key}` : key);
      }
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const show = (v: unknown) =>
      v === undefined ? '(not set)' : JSON.stringify(v);
    out.push(`${code(path || '(leaf)')}: ${show(a)} → ${show(b)}`);
  };
  walk(previous, next, '');
  return out;
}
