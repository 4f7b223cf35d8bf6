import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The Workload Catalog entity provider: one Component per leaf of the catalog repo
       * (workloadCatalog.catalogRepo) and per workload proposed in an open pull request.
       */
      workloadCatalog?: {
        /**
         * How often the catalog repo is read. Default every 60 s, at most 3 min a run.
         * Each run costs two GitHub calls when nothing changed (the base branch and the
         * open pull requests), plus one per new or changed leaf.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Owner of workloads whose leaf names none (leaf field `owner`), and of the
         * System entities. Default "group:default/platform-team".
         */
        defaultOwner?: string;
        /**
         * Lifecycle of each environment, e.g. {dev: experimental, prod: production}. An
         * environment not listed becomes its own lifecycle.
         */
        lifecycles?: { [environment: string]: string };
        /**
         * Also list workloads that exist only in an open pull request (lifecycle
         * unchanged, annotation workload-catalog.dev/source: proposed). Default true.
         */
        includeProposed?: boolean;
        /** Emit a System entity for each serviceCatalog. Default true. */
        systems?: boolean;
        /**
         * The scaffolder templates that ship with this module (one per folder of its
         * templates/). Default: all of them. `false` offers none; `exclude` turns off
         * single templates by name, e.g. [ollama-inference-service].
         */
        /**
         * Offer a template (new-<type>) and a catalog entity (kind Resource, type
         * workload-type: the type, its chart and schema) for every workload type. Default true.
         */
        workloadTypes?: boolean;
        /**
         * Where the charts are browsed, for the links of the workload-type entities. Default
         * https://github.com/workload-catalog/workload-catalog/tree/main/charts.
         */
        chartsUrl?: string;
        templates?:
          | boolean
          | {
              /** Default true. */
              enabled?: boolean;
              /** Template names (metadata.name) not to offer. */
              exclude?: string[];
            };
        /**
         * Argo CD annotations: exactly one of argocd/app-selector (default) and
         * argocd/app-name, as the Backstage Argo CD plugins require.
         */
        argocd?: {
          /**
           * The ApplicationSet's Application name, for argocd/app-name, with the
           * placeholders {serviceName}, {serviceCatalog}, {environment}, {namespace}.
           * Default "{serviceCatalog}.{environment}.{serviceName}" (deploy/argocd).
           */
          appNameTemplate?: string;
          /**
           * Set argocd/app-name instead of argocd/app-selector (default false; true, or an
           * appNameTemplate, sets the name).
           */
          appName?: boolean;
          /** Namespace of the Applications when it is not Argo CD's own (argocd/app-namespace). */
          appNamespace?: string;
          /** The Argo CD instance of the Backstage Argo CD plugins (argocd/instance-name). */
          instanceName?: string;
        };
      };
    };
  };
}
