/*
 * workload:leaf:validate — checks the leaf the form produced, against the schema and the
 * platform's policy, and outputs the normalised leaf, its YAML and its path in the catalog
 * repo. An invalid leaf fails the step with every problem listed by field path.
 */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  authorizeLeaf,
  formatIssues,
  InvalidLeafError,
  prepareLeaf,
  resolveLeafPolicy,
  workloadLeafValidatePermission,
  type LeafPolicySource,
} from '@workload-catalog/plugin-workload-catalog-node';
import { examples } from './validateLeaf.examples';

export const VALIDATE_LEAF_ACTION_ID = 'workload:leaf:validate';

export interface ValidateLeafActionOptions {
  /** The platform policy, or where to get it (a PlatformPolicyReader). */
  policy: LeafPolicySource;
  leafPathPattern: string;
  /** When set, the permission workload-catalog.leaf.validate is checked for the leaf. */
  permissions?: PermissionsService;
}

export function createValidateLeafAction(options: ValidateLeafActionOptions) {
  return createTemplateAction({
    id: VALIDATE_LEAF_ACTION_ID,
    description:
      'Validates a Workload Catalog leaf (schema and platform policy) and outputs the normalised leaf, its YAML and its path in the catalog repo',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        leaf: z =>
          z
            .unknown()
            .describe(
              'The catalog leaf, as the form produced it (workloadType, serviceName, serviceCatalog, ...)',
            ),
      },
      output: {
        leaf: z =>
          z
            .record(z.unknown())
            .describe(
              'The leaf with defaults applied and model references normalised',
            ),
        yaml: z =>
          z.string().describe('The leaf as YAML, as it will be committed'),
        path: z => z.string().describe('Path of the leaf in the catalog repo'),
      },
    },
    async handler(ctx) {
      let prepared;
      try {
        prepared = prepareLeaf(
          ctx.input.leaf,
          await resolveLeafPolicy(options.policy),
          options.leafPathPattern,
        );
      } catch (error) {
        if (error instanceof InvalidLeafError)
          ctx.logger.error(
            `The leaf is not valid:\n${formatIssues(error.issues)}`,
          );
        throw error;
      }
      if (options.permissions) {
        await authorizeLeaf({
          permissions: options.permissions,
          credentials: await ctx.getInitiatorCredentials(),
          permission: workloadLeafValidatePermission,
          leaf: prepared.leaf,
          what: 'validate',
        });
      }
      ctx.logger.info(
        `The leaf is valid; it goes to ${prepared.path}:\n${prepared.yaml}`,
      );
      ctx.output('leaf', prepared.leaf as Record<string, unknown>);
      ctx.output('yaml', prepared.yaml);
      ctx.output('path', prepared.path);
    },
  });
}
