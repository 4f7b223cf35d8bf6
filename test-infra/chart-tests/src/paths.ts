import fs from 'node:fs';
import path from 'node:path';
import {
  WORKLOAD_TYPES,
  workloadTypeSlug,
  type WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';

/** The repository root (this package is test-infra/chart-tests; it only runs from source). */
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '../../..');
export const chartsDir = path.join(repoRoot, 'charts');
export const examplesDir = path.join(repoRoot, 'examples/catalog');
export const seedLeafPath = path.join(
  examplesDir,
  'valid/ml-inference/dev/ollama-phi.yaml',
);

export const LIBRARY_CHART = 'workload-lib';

/** The chart directory of a workload type: charts/<kebab-case of workloadType>. */
export function chartOf(type: WorkloadType): string {
  return path.join(chartsDir, workloadTypeSlug(type));
}

export const WORKLOAD_CHARTS = WORKLOAD_TYPES.map(type => ({
  type,
  dir: chartOf(type),
}));

/** Every *.yaml / *.yml file under a folder, sorted. */
export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** The valid example leaves (examples/catalog/valid/**). */
export function validExampleLeaves(): string[] {
  return yamlFilesUnder(path.join(examplesDir, 'valid'));
}
