/*
 * The workload routes of the plugin (mounted at /api/workload-catalog):
 *
 *   GET  /workloads/:namespace/:kind/:name/status         the status timeline
 *   GET  /workloads/:namespace/:kind/:name/configuration  the current leaf (and canEdit)
 *   POST /workloads/:namespace/:kind/:name/configuration  {leaf}: opens an update pull request
 *
 * The entity is read from the catalog with the caller's credentials (so catalog read
 * permissions apply), then workload-catalog.status.read or
 * workload-catalog.configuration.update is checked for it.
 */
import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import type { WorkloadConfigurationService } from '../configuration/WorkloadConfigurationService';
import {
  workloadConfigurationUpdatePermission,
  workloadStatusReadPermission,
} from '../permissions/permissions';
import type { WorkloadStatusService } from '../status/WorkloadStatusService';

export interface WorkloadRoutesOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  status: WorkloadStatusService;
  /** Absent when the catalog repo is not configured: the configuration routes answer 404. */
  configuration?: WorkloadConfigurationService;
}

const NAME_RE = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/;

export function createWorkloadsRouter(
  options: WorkloadRoutesOptions,
): express.Router {
  const { httpAuth, permissions, catalog } = options;
  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  const entityOf = async (
    req: express.Request,
    credentials: Awaited<ReturnType<HttpAuthService['credentials']>>,
  ): Promise<Entity> => {
    const { namespace, kind, name } = req.params;
    if (![namespace, kind, name].every(p => NAME_RE.test(p)))
      throw new InputError('Not an entity reference');
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity)
      throw new NotFoundError(`No entity ${kind}:${namespace}/${name}`);
    return entity;
  };

  const allowed = async (
    permission: ResourcePermission<'catalog-entity'>,
    entity: Entity,
    credentials: Awaited<ReturnType<HttpAuthService['credentials']>>,
  ) => {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  };

  router.get('/workloads/:namespace/:kind/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await entityOf(req, credentials);
    if (!(await allowed(workloadStatusReadPermission, entity, credentials))) {
      throw new NotAllowedError(
        `You may not see the status of ${stringifyEntityRef(entity)} (${workloadStatusReadPermission.name})`,
      );
    }
    res.json(await options.status.getStatus(entity));
  });

  router.get(
    '/workloads/:namespace/:kind/:name/configuration',
    async (req, res) => {
      if (!options.configuration)
        throw new NotFoundError('The catalog repo is not configured');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entity = await entityOf(req, credentials);
      if (!(await allowed(workloadStatusReadPermission, entity, credentials))) {
        throw new NotAllowedError(
          `You may not see the configuration of ${stringifyEntityRef(entity)} (${workloadStatusReadPermission.name})`,
        );
      }
      const canEdit = await allowed(
        workloadConfigurationUpdatePermission,
        entity,
        credentials,
      );
      res.json(await options.configuration.current(entity, canEdit));
    },
  );

  router.post(
    '/workloads/:namespace/:kind/:name/configuration',
    async (req, res) => {
      if (!options.configuration)
        throw new NotFoundError('The catalog repo is not configured');
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entity = await entityOf(req, credentials);
      if (
        !(await allowed(
          workloadConfigurationUpdatePermission,
          entity,
          credentials,
        ))
      ) {
        throw new NotAllowedError(
          `You may not change the configuration of ${stringifyEntityRef(entity)} (${workloadConfigurationUpdatePermission.name})`,
        );
      }
      const result = await options.configuration.propose(
        entity,
        req.body?.leaf,
        credentials,
      );
      // The status cache knows about our own write: the next answer shows this pull request.
      options.status.forgetPullRequest(result.branch);
      res.status(201).json(result);
    },
  );

  return router;
}
