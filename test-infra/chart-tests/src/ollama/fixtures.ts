/* What the Ollama chart's tests share: the chart, its example leaves, their pinned digests. */
import fs from 'node:fs';
import { parse } from 'yaml';
import { template, type Manifest } from '../helm';
import { one, workload } from '../manifests';
import { chartOf, examplesDir, seedLeafPath } from '../paths';

export const chart = chartOf('OLLAMA_INFERENCE_LOAD');
export const seed = parse(fs.readFileSync(seedLeafPath, 'utf8'));
export const assistant = parse(
  fs.readFileSync(
    `${examplesDir}/valid/ml-inference/prod/support-assistant.yaml`,
    'utf8',
  ),
);

export const DIGEST_LLAMA =
  'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72';
export const DIGEST_OTHER =
  '0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163';
export const DIGEST_NOMIC =
  '970aa74c0a90ef7482477cf803618e776e173c007bf957f635f1015bfcfef0e6';

/** The chart rendered by real helm with `leaf` (and platform values in `setJson`). */
export async function render(
  leaf: Record<string, any>,
  setJson?: Record<string, unknown>,
): Promise<Manifest[]> {
  const result = await template(chart, leaf, setJson ? { setJson } : {});
  if (result.code !== 0) throw new Error(result.stderr);
  return result.docs;
}

export const podOf = (docs: Manifest[]) => workload(docs).spec.template.spec;
export const configOf = (docs: Manifest[], leaf: Record<string, any>) =>
  one(docs, 'ConfigMap', `${leaf.serviceName}-ollama`);
