{{- /*
The Ollama pod. The init container "models" prepares the models (files/ollama-models.sh
prepare) before the server container starts, so a pod is only ever started with every model
in place; the probes check that they still are. Takes $ctx with .image, .mounts, .ready
(probe command) and .config (the rendered ConfigMap, for the checksum annotation).
*/ -}}
{{- define "ollama.podTemplate" -}}
{{- $p := .platform -}}
{{- $annotations := dict "checksum/models" (include "workload-lib.checksum" .config) -}}
{{- include "workload-lib.podMetadata" (merge (dict "podAnnotations" $annotations) .) }}
spec:
  automountServiceAccountToken: false
  enableServiceLinks: false
  terminationGracePeriodSeconds: 60
  securityContext:
    {{- include "workload-lib.podSecurityContext" . | nindent 4 }}
  {{- with include "workload-lib.gpuScheduling" . | trim }}
  {{- . | nindent 2 }}
  {{- end }}
  {{- with include "workload-lib.models.affinity" . | trim }}
  {{- . | nindent 2 }}
  {{- end }}
  initContainers:
    - name: models
      image: {{ .image | quote }}
      imagePullPolicy: IfNotPresent
      command: ["/bin/bash", "/opt/workload-catalog/ollama-models.sh", "prepare"]
      env:
        - name: OLLAMA_HOST
          value: "127.0.0.1:11434"
        - name: OLLAMA_MODELS
          value: /models
        - name: HOME
          value: /home/ollama
        - name: WC_OLLAMA_CONFIG
          value: /opt/workload-catalog
        - name: WC_OLLAMA_REFRESH
          value: {{ $p.ollama.refreshModels | toString | quote }}
        - name: WC_OLLAMA_START_SECONDS
          value: {{ $p.ollama.serverStartSeconds | int | toString | quote }}
        {{- range (.leaf.container.secrets | default list) }}
        {{- /* registry credentials or a Hugging Face token may be needed by the pull */}}
        - name: {{ .name }}
          valueFrom:
            secretKeyRef:
              {{- if .secretKeyRef }}
              name: {{ .secretKeyRef.name }}
              key: {{ .secretKeyRef.key | quote }}
              {{- else }}
              name: {{ include "workload-lib.vaultSecretName" $ }}
              key: {{ .name }}
              {{- end }}
        {{- end }}
      {{- with include "workload-lib.resources" (merge (dict "gpuCount" 0) (omit . "gpuCount")) | trim }}
      resources:
        {{- . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "workload-lib.containerSecurityContext" (dict "readOnlyRootFilesystem" true) | nindent 8 }}
      volumeMounts:
        {{- .mounts | nindent 8 }}
  containers:
    - name: ollama
      image: {{ .image | quote }}
      imagePullPolicy: IfNotPresent
      args: ["serve"]
      ports:
        - name: http
          containerPort: 11434
          protocol: TCP
      env:
        {{- include "workload-lib.env" . | trim | nindent 8 }}
      {{- with include "workload-lib.resources" . | trim }}
      resources:
        {{- . | nindent 8 }}
      {{- end }}
      # Ready means: the server answers /api/tags and every declared model is in it.
      startupProbe:
        exec:
          command: {{ toJson .ready }}
        periodSeconds: 5
        timeoutSeconds: 10
        failureThreshold: 120
      readinessProbe:
        exec:
          command: {{ toJson .ready }}
        periodSeconds: 10
        timeoutSeconds: 10
        failureThreshold: 3
      livenessProbe:
        httpGet:
          path: /api/version
          port: http
        periodSeconds: 20
        timeoutSeconds: 5
        failureThreshold: 3
      securityContext:
        {{- include "workload-lib.containerSecurityContext" (dict "readOnlyRootFilesystem" true) | nindent 8 }}
      volumeMounts:
        {{- .mounts | nindent 8 }}
  volumes:
    {{- with include "workload-lib.models.volume" . }}
    {{- . | nindent 4 }}
    {{- end }}
    - name: home
      emptyDir: {}
    - name: tmp
      emptyDir: {}
    - name: config
      configMap:
        name: {{ include "ollama.configName" . }}
        defaultMode: 0555
{{- end -}}

{{- define "ollama.validate" -}}
{{- end -}}
