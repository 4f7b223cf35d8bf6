/*
 * The cluster side follows the platform policy: Argo CD's AppProject lets the workloads'
 * Applications deploy exactly into the namespaces the policy allows, never a system one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  isSystemNamespace,
  parsePolicyFile,
} from '@workload-catalog/plugin-workload-catalog-common';

const ROOT = path.resolve(__dirname, '../../..');

describe('the AppProject and the platform policy', () => {
  const policy = parsePolicyFile(
    fs.readFileSync(
      path.join(ROOT, 'examples/catalog-repo/.workload-catalog/policy.yaml'),
      'utf8',
    ),
  );
  const project = parse(
    fs.readFileSync(path.join(ROOT, 'deploy/argocd/appproject.yaml'), 'utf8'),
  );

  it('the example policy is valid', () => {
    expect(policy.issues).toEqual([]);
  });

  it('lets Applications deploy exactly into the policy’s namespaces', () => {
    const namespaces = project.spec.destinations.map(
      (d: { namespace: string }) => d.namespace,
    );
    expect([...namespaces].sort()).toEqual(
      [...(policy.policy!.namespaces ?? [])].sort(),
    );
    for (const ns of namespaces) {
      expect(ns).not.toMatch(/[*?[]/);
      expect(isSystemNamespace(ns)).toBe(false);
    }
  });

  it('the ApplicationSet puts every Application in that project', () => {
    const [appSet] = parseAllDocuments(
      fs.readFileSync(
        path.join(ROOT, 'deploy/argocd/applicationset.yaml'),
        'utf8',
      ),
    ).map(d => d.toJS());
    expect(appSet.spec.template.spec.project).toBe(project.metadata.name);
  });
});
