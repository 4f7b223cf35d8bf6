/*
 * The plugins of the Workload Catalog backend, in one list so the backend (index.ts) and
 * its tests start exactly the same set.
 */
export const backendFeatures = [
  // Sign-in: guest for local use; see README for GitHub sign-in in production.
  import('@backstage/plugin-auth-backend'),
  import('@backstage/plugin-auth-backend-module-guest-provider'),
  // Catalog, with the Template kind the scaffolder templates need.
  import('@backstage/plugin-catalog-backend'),
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  // One Component per workload of the catalog repo (and per workload proposed in a pull request).
  import('@workload-catalog/plugin-catalog-backend-module-workload-catalog'),
  // Permissions: allow-all by default; see README for a stricter policy.
  import('@backstage/plugin-permission-backend'),
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  // Scaffolder with the Workload Catalog actions (workload:leaf:validate, workload:catalog:pull-request).
  import('@backstage/plugin-scaffolder-backend'),
  import('@workload-catalog/plugin-scaffolder-backend-module-workload-catalog'),
  // The workload-catalog backend plugin: model suggestions and policy for the form, and each
  // workload's status and configuration changes (entity card, Configure tab).
  import('@workload-catalog/plugin-workload-catalog-backend'),
  // Backstage's proxy: /api/proxy/argocd/api is Argo CD's API for Roadie's Argo CD card
  // (proxy."/argocd/api" in app-config.yaml); the Argo CD token stays in the backend.
  import('@backstage/plugin-proxy-backend'),
  // Hook: the app backend that serves packages/app is added here by its issue.
];
