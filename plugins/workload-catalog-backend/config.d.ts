export interface Config {
  /** Workload Catalog */
  workloadCatalog?: {
    /**
     * Most GPUs one replica may request (the form's slider maximum). Default 8, never more
     * than 16.
     * @visibility backend
     */
    maxGpuCount?: number;
    /**
     * Environments a workload may be deployed to; any DNS label when not set.
     * @visibility backend
     */
    environments?: string[];
    /**
     * Kubernetes namespaces workloads may be deployed to; any DNS label when not set.
     * @visibility backend
     */
    namespaces?: string[];
    /**
     * Memory of one GPU of the cluster, as a quantity ("24Gi", "80Gi"), for the picker's
     * "needs N GPUs" estimate. Default 24Gi (an NVIDIA L4).
     * @visibility backend
     */
    gpuMemoryPerGpu?: string;
    /**
     * Models the form suggests, in this order, before what the Ollama server reports.
     * Either an Ollama reference ("llama3.2:3b") or an object with its size on disk.
     * @visibility backend
     */
    suggestedModels?: Array<
      | string
      | {
          /** Ollama model reference, e.g. "llama3.2:3b". */
          ref: string;
          /** Size on disk as a quantity ("2Gi", "2.0G") or bytes. */
          size?: string | number;
          /** One line shown under the model in the picker. */
          description?: string;
        }
    >;
    /** An Ollama server (or registry mirror) whose local models the picker also lists. */
    ollama?: {
      /**
       * Base URL of the Ollama API, e.g. http://ollama.ml-platform:11434 (its /api/tags is read).
       * @visibility backend
       */
      baseUrl?: string;
      /**
       * How long to wait for the server, in milliseconds (default 3000).
       * @visibility backend
       */
      timeoutMs?: number;
      /**
       * How long a successful answer is reused, in milliseconds (default 30000).
       * @visibility backend
       */
      cacheTtlMs?: number;
    };
    /**
     * The deployment status on each workload's entity page: pull request (GitHub, through
     * integrations.github for workloadCatalog.catalogRepo), Argo CD Application, and the
     * models on the workload's Ollama server. A source left out is shown as "not
     * configured".
     */
    status?: {
      /**
       * How long each source's answer is reused, in seconds (default 15), so a busy page
       * does not hammer GitHub or Argo CD.
       * @visibility backend
       */
      cacheTtlSeconds?: number;
      /**
       * How long each call may take, in milliseconds (default 5000).
       * @visibility backend
       */
      timeoutMs?: number;
      /** Argo CD's API (the Applications the ApplicationSet generates). */
      argocd?: {
        /**
         * Base URL of the Argo CD server, e.g. https://argocd.example.com.
         * @visibility backend
         */
        baseUrl?: string;
        /**
         * An Argo CD API token with read access to the applications (RBAC
         * "applications, get"). It never leaves the backend.
         * @visibility secret
         */
        token?: string;
        /**
         * Base URL of Argo CD's web UI for the links on the card (default: baseUrl).
         * @visibility backend
         */
        uiUrl?: string;
        /**
         * Namespace of the Applications, when it is not Argo CD's own namespace.
         * @visibility backend
         */
        appNamespace?: string;
      };
      /** Each Ollama workload's server: whether its models are pulled and loaded. */
      ollama?: {
        /**
         * Set to false to not ask the workloads' Ollama servers.
         * @visibility backend
         */
        enabled?: boolean;
        /**
         * URL of a workload's Ollama API, with the placeholders {serviceName},
         * {namespace}, {environment}, {serviceCatalog}. Default
         * "http://{serviceName}.{namespace}.svc" (the chart's Service on port 80, from
         * inside the cluster).
         * @visibility backend
         */
        urlPattern?: string;
      };
      /**
       * Each Text Generation Inference workload's server: which model and revision it
       * serves (/info) and whether it answers (/health).
       */
      tgi?: {
        /**
         * Set to false to not ask the workloads' TGI servers (the model step then follows
         * Argo CD's health, which the chart's readiness on /health drives).
         * @visibility backend
         */
        enabled?: boolean;
        /**
         * URL of a workload's TGI API, with the placeholders {serviceName}, {namespace},
         * {environment}, {serviceCatalog}. Default "http://{serviceName}.{namespace}.svc:8080"
         * (the chart's Service, from inside the cluster).
         * @visibility backend
         */
        urlPattern?: string;
      };
    };
  };
}
