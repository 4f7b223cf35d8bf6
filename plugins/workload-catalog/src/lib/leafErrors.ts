/*
 * The inline errors of the form are the common package's messages (the ones the backend action
 * and the CLI print), placed at the field they are about, in RJSF's ErrorSchema shape.
 */
import type { ErrorSchema } from '@rjsf/utils';
import type {
  FieldPath,
  LeafIssue,
} from '@workload-catalog/plugin-workload-catalog-common';

export const ROOT_ID = 'root';
export const ID_SEPARATOR = '_';

/** The RJSF id of the field at `path` ("root_ingress_host"). */
export function fieldId(path: FieldPath, idPrefix = ROOT_ID): string {
  return [idPrefix, ...path.map(String)].join(ID_SEPARATOR);
}

/**
 * Whether an issue may be shown: after the user has left the field (or a field inside it, for
 * an issue about a whole section), or once every error is to be shown (after "Next").
 */
export function isVisible(
  issue: LeafIssue,
  touched: ReadonlySet<string>,
  idPrefix = ROOT_ID,
): boolean {
  const id = fieldId(issue.path, idPrefix);
  if (touched.has(id)) return true;
  for (const t of touched) if (t.startsWith(id + ID_SEPARATOR)) return true;
  return false;
}

/** Issues as an RJSF ErrorSchema: `{ingress: {host: {__errors: ['...']}}}`. */
export function toErrorSchema(issues: readonly LeafIssue[]): ErrorSchema {
  const root: Record<string, any> = {};
  for (const issue of issues) {
    let node = root;
    for (const seg of issue.path) {
      const key = String(seg);
      node[key] ??= {};
      node = node[key];
    }
    (node.__errors ??= []).push(issue.message);
  }
  return root as ErrorSchema;
}
