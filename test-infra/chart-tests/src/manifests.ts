import type { Manifest } from './helm';

/** The one manifest of a kind (and name, when given); throws when there is not exactly one. */
export function one(docs: Manifest[], kind: string, name?: string): Manifest {
  const hits = docs.filter(
    d => d.kind === kind && (name === undefined || d.metadata?.name === name),
  );
  if (hits.length !== 1) {
    throw new Error(
      `expected one ${kind}${name ? `/${name}` : ''}, found ${hits.length}: ${docs.map(d => `${d.kind}/${d.metadata?.name}`).join(', ')}`,
    );
  }
  return hits[0];
}

export function kinds(docs: Manifest[]): string[] {
  return docs.map(d => `${d.kind}/${d.metadata?.name}`).sort();
}

/** Kinds that carry a pod template, and where. */
export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'Rollout',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
];

/** The pod specs of every workload in the documents, with the workload they belong to. */
export function podSpecs(
  docs: Manifest[],
): { owner: string; spec: Manifest }[] {
  const out: { owner: string; spec: Manifest }[] = [];
  for (const d of docs) {
    const owner = `${d.kind}/${d.metadata?.name}`;
    if (d.kind === 'Pod') out.push({ owner, spec: d.spec });
    else if (d.kind === 'CronJob')
      out.push({ owner, spec: d.spec.jobTemplate.spec.template.spec });
    else if (WORKLOAD_KINDS.includes(d.kind))
      out.push({ owner, spec: d.spec.template.spec });
  }
  return out;
}

/** The workload (Deployment, StatefulSet or Rollout) of a rendered chart. */
export function workload(docs: Manifest[]): Manifest {
  const hits = docs.filter(d =>
    ['Deployment', 'StatefulSet', 'Rollout'].includes(d.kind),
  );
  if (hits.length !== 1)
    throw new Error(`expected one workload, found ${kinds(hits).join(', ')}`);
  return hits[0];
}

export function container(pod: Manifest, name: string): Manifest {
  const c = [...(pod.initContainers ?? []), ...pod.containers].find(
    (x: Manifest) => x.name === name,
  );
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

export function envOf(c: Manifest): Record<string, Manifest> {
  return Object.fromEntries((c.env ?? []).map((e: Manifest) => [e.name, e]));
}
