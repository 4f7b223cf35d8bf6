import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { LeafPolicy } from '@workload-catalog/plugin-workload-catalog-common';
import { readConfigPolicy } from '@workload-catalog/plugin-workload-catalog-node';
import { formOptionsOf, readGpuMemoryPerGpu } from './formOptions';
import { ModelSuggestionService } from './modelSuggestions';

export interface RouterOptions {
  config: Config;
  logger: LoggerService;
  /**
   * The platform policy in force (the catalog repo's policy file narrowed by config, from a
   * PlatformPolicyReader). Without it, the form checks what config says.
   */
  policy?: () => Promise<LeafPolicy>;
}

/**
 * The plugin's routes. Settings are read (and checked) once, at start: a wrong setting stops
 * the backend with a message instead of failing later in the form.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config, logger } = options;
  const gpuMemoryPerGpuBytes = readGpuMemoryPerGpu(config);
  const configPolicy = readConfigPolicy(config);
  const policy = options.policy ?? (async () => configPolicy);
  const suggestions = ModelSuggestionService.fromConfig(config, logger);

  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/form-options', async (_req, res) => {
    res.json(formOptionsOf(await policy(), gpuMemoryPerGpuBytes));
  });

  router.get('/models', async (_req, res) => {
    res.json(await suggestions.list());
  });

  return router;
}
