import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { readFormOptions } from './formOptions';
import { ModelSuggestionService } from './modelSuggestions';

export interface RouterOptions {
  config: Config;
  logger: LoggerService;
}

/**
 * The plugin's routes. Settings are read (and checked) once, at start: a wrong setting stops
 * the backend with a message instead of failing later in the form.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config, logger } = options;
  const formOptions = readFormOptions(config);
  const suggestions = ModelSuggestionService.fromConfig(config, logger);

  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/form-options', (_req, res) => {
    res.json(formOptions);
  });

  router.get('/models', async (_req, res) => {
    res.json(await suggestions.list());
  });

  return router;
}
