export interface Config {
  /** Workload Catalog (the keys below are read by the scaffolder actions). */
  workloadCatalog?: {
    /** The GitOps catalog repository the pull requests go to. */
    catalogRepo: {
      /**
       * Web URL of the repository, e.g. https://github.com/acme/gitops-catalog or
       * https://ghe.example.com/platform/catalog. Its host must have an entry under
       * integrations.github (token or GitHub App; apiBaseUrl for GitHub Enterprise).
       * @visibility backend
       */
      url: string;
      /**
       * Branch the pull requests target. Default "main".
       * @visibility backend
       */
      baseBranch?: string;
      /**
       * Where a leaf goes in the repository. Placeholders: {serviceCatalog},
       * {environment}, {serviceName}, {namespace}, {workloadType}.
       * Default "catalog/{serviceCatalog}/{environment}/{serviceName}.yaml".
       * @visibility backend
       */
      leafPathPattern?: string;
      /**
       * Prefix of the pull request branches (one branch per leaf). Default "workload-catalog".
       * @visibility backend
       */
      branchPrefix?: string;
    };
    /**
     * Most GPUs one replica may request. Default: the platform policy's
     * (the catalog repo's .workload-catalog/policy.yaml, gpu.maxPerReplica), else 8; never
     * more than 16. Config may only narrow the policy: a larger value is refused.
     * @visibility backend
     */
    maxGpuCount?: number;
    /**
     * Environments a workload may be deployed to. Default: the platform policy's, else any
     * DNS label. Config may only narrow the policy: an environment it does not list is refused.
     * @visibility backend
     */
    environments?: string[];
    /**
     * Kubernetes namespaces workloads may be deployed to. Default: the platform policy's,
     * else any but the system ones (kube-*, argocd, default, ...). Config may only narrow
     * the policy.
     * @visibility backend
     */
    namespaces?: string[];
    /** Defaults of every catalog pull request (a template's inputs add to them). */
    pullRequest?: {
      /**
       * Labels added to every pull request.
       * @visibility backend
       */
      labels?: string[];
      /**
       * GitHub users asked to review every pull request.
       * @visibility backend
       */
      reviewers?: string[];
      /**
       * GitHub team slugs asked to review every pull request.
       * @visibility backend
       */
      teamReviewers?: string[];
      /**
       * Open pull requests as drafts. Default false.
       * @visibility backend
       */
      draft?: boolean;
    };
    /** How the actions talk to GitHub. */
    github?: {
      /**
       * Total time one action may spend on GitHub, retries and rate-limit waits included.
       * Default 60.
       * @visibility backend
       */
      timeoutSeconds?: number;
      /**
       * Retries of a failed call (5xx, dropped connection, rate limit). Default 3.
       * @visibility backend
       */
      maxRetries?: number;
    };
  };
}
