/*
 * Pod Security "restricted" for every chart: the pods rendered from every example leaf and
 * from generated leaves of every workload type. No chart needs an exception: GPU access goes
 * through the device plugin (a resource limit) and a RuntimeClass, shared memory is an
 * emptyDir, models live on PersistentVolumeClaims, and both are allowed by "restricted".
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { WORKLOAD_TYPES } from '@workload-catalog/plugin-workload-catalog-common';
import { arbitraryLeaf } from '@workload-catalog/plugin-workload-catalog-common/testUtils';
import { parse } from 'yaml';
import { pool, template } from './helm';
import { podSpecs } from './manifests';
import { chartOf, validExampleLeaves } from './paths';
import { restrictedViolations } from './podSecurity';

// helm runs real processes; on a busy 2-core machine a test may take a while
jest.setTimeout(180_000);

describe('the restricted checker itself', () => {
  const good = {
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: 'a',
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        },
      },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
  };

  it('accepts a restricted pod', () => {
    expect(restrictedViolations(good)).toEqual([]);
  });

  it.each([
    [
      'hostNetwork',
      { ...good, hostNetwork: true },
      'Host Namespaces: hostNetwork must not be true',
    ],
    [
      'a hostPath volume',
      { ...good, volumes: [{ name: 'h', hostPath: { path: '/' } }] },
      'HostPath Volumes: volume h is a hostPath',
    ],
    [
      'no runAsNonRoot',
      {
        ...good,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      },
      'Running as Non-root: container a must run with runAsNonRoot: true (pod or container)',
    ],
    [
      'root user',
      { ...good, securityContext: { ...good.securityContext, runAsUser: 0 } },
      'Running as Non-root user: pod runAsUser must not be 0',
    ],
    [
      'no seccomp',
      { ...good, securityContext: { runAsNonRoot: true } },
      'Seccomp: container a must have seccompProfile RuntimeDefault or Localhost (pod or container)',
    ],
    [
      'privilege escalation',
      {
        ...good,
        initContainers: [
          { name: 'i', securityContext: { capabilities: { drop: ['ALL'] } } },
        ],
      },
      'Privilege Escalation: container i must set allowPrivilegeEscalation: false',
    ],
    [
      'capabilities kept',
      {
        ...good,
        containers: [
          { name: 'a', securityContext: { allowPrivilegeEscalation: false } },
        ],
      },
      'Capabilities: container a must drop ALL',
    ],
    [
      'a capability added',
      {
        ...good,
        containers: [
          {
            name: 'a',
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] },
            },
          },
        ],
      },
      'Capabilities: container a adds SYS_ADMIN',
    ],
    [
      'privileged',
      {
        ...good,
        containers: [
          {
            name: 'a',
            securityContext: {
              privileged: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
      'Privileged Containers: container a is privileged',
    ],
    [
      'a hostPort',
      {
        ...good,
        containers: [
          {
            ...good.containers[0],
            ports: [{ containerPort: 80, hostPort: 80 }],
          },
        ],
      },
      'Host Ports: container a uses hostPort 80',
    ],
  ])('rejects %s', (_what, pod, message) => {
    expect(restrictedViolations(pod)).toContain(message);
  });
});

describe('every chart renders pods that meet Pod Security "restricted"', () => {
  const examples = validExampleLeaves().map(file =>
    parse(fs.readFileSync(file, 'utf8')),
  );
  const generated = WORKLOAD_TYPES.flatMap(type =>
    fc.sample(arbitraryLeaf(type), { numRuns: 12, seed: 20261127 }),
  );

  it.each([
    ['the example leaves', examples],
    ['generated leaves of every type', generated],
  ])('%s', async (_what, leaves) => {
    expect(new Set(leaves.map(l => l.workloadType)).size).toBe(
      WORKLOAD_TYPES.length,
    );
    const rendered = await pool(leaves, leaf =>
      template(chartOf(leaf.workloadType), leaf),
    );
    expect(rendered.filter(r => r.code !== 0).map(r => r.stderr)).toEqual([]);
    const pods = rendered.flatMap(r => podSpecs(r.docs));
    expect(pods.length).toBe(leaves.length);
    const violations = pods.flatMap(p =>
      restrictedViolations(p.spec).map(v => `${p.owner}: ${v}`),
    );
    expect(violations).toEqual([]);
  });
});
