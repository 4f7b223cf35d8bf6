export interface Config {
  workloadCatalog?: {
    /**
     * Settings of the stricter example policy (src/permissionPolicy.ts), used only when
     * that policy module replaces the default allow-all policy.
     */
    permissionPolicy?: {
      /**
       * Entity refs of groups whose members may propose any workload.
       * @visibility backend
       */
      adminGroups?: string[];
      /**
       * Environments everyone else may propose workloads for. Default ["dev"].
       * @visibility backend
       */
      selfServiceEnvironments?: string[];
      /**
       * Most GPUs per replica everyone else may ask for. Default 1.
       * @visibility backend
       */
      selfServiceMaxGpus?: number;
    };
  };
}
