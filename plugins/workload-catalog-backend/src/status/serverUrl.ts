/*
 * The URL of a workload's model server (Ollama, Text Generation Inference) from the
 * configured pattern and the workload's entity.
 */
import { SourceError } from './argocd';

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The URL of a workload's model server (Ollama, TGI): the pattern with its placeholders
 * filled. Every value must be a DNS label (as the leaf schema requires), so an entity cannot
 * point the backend at another host through its annotations.
 */
export function workloadServerUrl(
  pattern: string,
  fields: Record<string, string | undefined>,
  server = 'Ollama',
): string {
  return pattern.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = fields[key];
    if (!value || !LABEL_RE.test(value)) {
      throw new SourceError(
        `cannot build the ${server} URL: the workload's ${key} is ${value ? `"${value}", not a DNS label` : 'not known'}`,
      );
    }
    return value;
  });
}
