import { promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parseLeafFile } from '@workload-catalog/plugin-workload-catalog-common';
import yaml from 'yaml';
import {
  EXAMPLES_DIR,
  runAction,
  seedLeaf,
} from '../__testUtils__/localCatalog';
import {
  createWorkloadLeafConditionalDecision,
  workloadLeafConditions,
  workloadLeafValidatePermission,
} from '@workload-catalog/plugin-workload-catalog-node';
import { createValidateLeafAction } from './validateLeaf';
import { examples } from './validateLeaf.examples';

const policy = {
  environments: ['dev', 'staging', 'prod'],
  namespaces: ['ml-workloads', 'ml-workloads-staging', 'shop'],
  maxGpuCount: 8,
};
const action = createValidateLeafAction({
  policy,
  leafPathPattern: 'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    if (e.isDirectory()) return filesUnder(path.join(dir, e.name));
    return e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : [];
  });
}

describe('workload:leaf:validate', () => {
  it('runs every example of its documentation', async () => {
    for (const example of examples) {
      const step = yaml.parse(example.example).steps[0];
      const leaf =
        typeof step.input.leaf === 'string'
          ? await seedLeaf()
          : step.input.leaf;
      const { outputs } = await runAction(action, { leaf });
      expect(outputs.path).toBe('catalog/ml-inference/dev/ollama-phi.yaml');
    }
  });

  const validFiles = filesUnder(path.join(EXAMPLES_DIR, 'valid'));
  it.each(validFiles.map(f => path.relative(EXAMPLES_DIR, f)))(
    '%s: outputs the normalised leaf, its YAML and its path',
    async relative => {
      const text = await fs.readFile(path.join(EXAMPLES_DIR, relative), 'utf8');
      const { outputs, logs } = await runAction(action, {
        leaf: parseLeafFile(text).value as Record<string, unknown>,
      });
      // The examples are laid out like a catalog repo: the path is the file's own.
      expect(outputs.path).toBe(relative.replace(/^valid\//, 'catalog/'));
      const reparsed = parseLeafFile(outputs.yaml as string);
      expect(reparsed.valid).toBe(true);
      expect(reparsed.value).toEqual(outputs.leaf);
      expect(logs.join('\n')).toContain(
        `The leaf is valid; it goes to ${outputs.path}`,
      );
    },
  );

  it('fails with every problem by field path, and logs them', async () => {
    const leaf = {
      ...(await seedLeaf()),
      serviceName: 'Ollama_Phi',
      gpu: { count: 1.5 },
      environment: 'qa',
    };
    let error: any;
    const logs: string[] = [];
    try {
      await runAction(action, { leaf }).then(r => logs.push(...r.logs));
    } catch (e) {
      error = e;
    }
    expect(error?.name).toBe('InputError');
    expect(error.message).toMatch(
      /^The workload leaf is not valid \(3 problems\); nothing was written:/,
    );
    expect(error.message).toMatch(/- serviceName: .*/);
    expect(error.message).toContain(
      '- gpu.count: must be a whole number of GPUs; got 1.5',
    );
    expect(error.message).toContain(
      '- environment: must be one of dev, staging, prod; got "qa"',
    );
  });

  it('says what a leaf is when the input is not one', async () => {
    await expect(runAction(action, { leaf: 'phi:latest' })).rejects.toThrow(
      /- \(leaf\): a leaf must be a mapping of fields/,
    );
    await expect(runAction(action, {})).rejects.toThrow(
      /a leaf must be a mapping of fields .*got an empty document/,
    );
  });

  it('asks the permission framework, with the environment as a condition', async () => {
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockResolvedValue([
      createWorkloadLeafConditionalDecision(
        workloadLeafValidatePermission,
        workloadLeafConditions.isInNamespace({ namespaces: ['shop'] }),
      ),
    ]);
    const guarded = createValidateLeafAction({
      policy,
      leafPathPattern:
        'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
      permissions,
    });
    await expect(
      runAction(guarded, { leaf: await seedLeaf() }),
    ).rejects.toThrow(
      /You are not allowed to validate ollama-phi in environment "dev" \(namespace "ml-workloads", 1 GPUs\)/,
    );
    permissions.authorizeConditional.mockResolvedValue([
      { result: AuthorizeResult.ALLOW },
    ]);
    await expect(
      runAction(guarded, { leaf: await seedLeaf() }),
    ).resolves.toBeDefined();
  });
});
