import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Manifest } from '../helm';

export interface ManifestProblems {
  index: number;
  ref: string;
  errors: string[];
}

/**
 * Validates manifests against the Kubernetes 1.35 schemas and the CRD schemas of Gateway
 * API, cert-manager, External Secrets, Argo Rollouts and Argo CD (kubernetes-models). A
 * manifest of a kind with no schema is a problem too. Returns one entry per manifest.
 */
export function validateManifests(
  docs: Manifest[],
): Promise<ManifestProblems[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      // eslint-disable-next-line no-restricted-syntax
      [path.join(__dirname, 'validate-k8s.mjs')],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`validate-k8s failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout));
      },
    );
    child.stdin!.end(JSON.stringify(docs));
  });
}

/** Only the manifests with problems, as readable lines. */
export async function manifestErrors(docs: Manifest[]): Promise<string[]> {
  const results = await validateManifests(docs);
  return results
    .filter(r => r.errors.length)
    .map(r => `${r.ref}: ${r.errors.join('; ')}`);
}
