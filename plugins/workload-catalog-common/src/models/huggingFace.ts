/** Hugging Face Hub model ids (`org/name`, or a legacy `name`) and revisions. */

export const HF_MODEL_ID_PATTERN =
  '^([A-Za-z0-9]([A-Za-z0-9._-]{0,94}[A-Za-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$';

/** A commit sha (what pins a model), or a branch or tag name. */
export const HF_REVISION_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$';

/** True for a full 40-character commit sha: the only revision that cannot move. */
export function isPinnedRevision(revision: string | undefined): boolean {
  return !!revision && /^[0-9a-f]{40}$/.test(revision);
}
