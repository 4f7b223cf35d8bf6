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
  };
}
