{{- /*
The Ollama pod. The init container "models" prepares the models (files/ollama-models.sh
prepare) before the server container starts, so a pod is only ever started with every model
in place; the probes check that they still are. Takes $ctx with .image, .mounts, .ready
(probe command) and .config (the rendered ConfigMap, for the checksum annotation).
*/ -}}
{{- define "ollama.podTemplate" -}}
{{- $p := .platform -}}
{{- $models := include "ollama.models" . | fromJson -}}
{{- $loading := .leaf.modelLoading | default dict -}}
{{- $pullOpts := .leaf.modelPull | default dict -}}
{{- $loadSeconds := $loading.timeoutSeconds | default 900 | int -}}
{{- /* the startup probe waits for the server and then for each load, one after the other */ -}}
{{- $startupBudget := add (int $p.ollama.serverStartSeconds) (mul $loadSeconds (max 1 (len $models.load))) -}}
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
        - name: WC_OLLAMA_POD
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: WC_OLLAMA_WORKLOAD
          value: {{ printf "%s.%s" .leaf.namespace .leaf.serviceName | quote }}
        - name: WC_OLLAMA_CLEAN
          value: {{ $pullOpts.clean | default false | toString | quote }}
        - name: WC_OLLAMA_INSECURE_REGISTRIES
          value: {{ $pullOpts.insecureRegistries | default list | join " " | lower | quote }}
        - name: WC_OLLAMA_MIRROR
          value: {{ $p.ollama.registryMirror.host | quote }}
        - name: WC_OLLAMA_MIRROR_INSECURE
          value: {{ $p.ollama.registryMirror.insecure | toString | quote }}
        {{- if eq (include "ollama.sharedVolume" .) "true" }}
        {{- /* a server that starts prunes blobs no manifest names: another pod's download in progress */}}
        - name: OLLAMA_NOPRUNE
          value: "true"
        {{- end }}
        {{- range (.leaf.container.secrets | default list) }}
        {{- /* registry credentials or a Hugging Face token may be needed by the pull */}}
        - name: {{ .name | quote }}
          valueFrom:
            secretKeyRef:
              {{- if .secretKeyRef }}
              name: {{ .secretKeyRef.name | quote }}
              key: {{ .secretKeyRef.key | quote }}
              {{- else }}
              name: {{ include "workload-lib.vaultSecretName" $ | quote }}
              key: {{ .name | quote }}
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
      # Ready means: the server answers, every declared model is in /api/tags and every model
      # to load is in /api/ps (the loader container loads them, and again when they leave).
      startupProbe:
        exec:
          command: {{ toJson .ready }}
        periodSeconds: 5
        timeoutSeconds: 10
        failureThreshold: {{ max 120 (div (add $startupBudget 4) 5) }}
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
    # Loads the models into memory once the server answers and loads again a model that
    # left memory (files/ollama-models.sh keep-loaded); reads only its ConfigMap.
    - name: loader
      image: {{ .image | quote }}
      imagePullPolicy: IfNotPresent
      command: ["/bin/bash", "/opt/workload-catalog/ollama-models.sh", "keep-loaded"]
      env:
        - name: OLLAMA_HOST
          value: "127.0.0.1:11434"
        - name: WC_OLLAMA_CONFIG
          value: /opt/workload-catalog
        - name: WC_OLLAMA_LOAD_SECONDS
          value: {{ $loadSeconds | toString | quote }}
        - name: WC_OLLAMA_CHECK_SECONDS
          value: "10"
        {{- with $loading.keepAlive }}
        - name: WC_OLLAMA_KEEP_ALIVE
          value: {{ include "workload-lib.envString" . | quote }}
        {{- end }}
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
        limits:
          cpu: 100m
          memory: 64Mi
      securityContext:
        {{- include "workload-lib.containerSecurityContext" (dict "readOnlyRootFilesystem" true) | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /opt/workload-catalog
          readOnly: true
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
        name: {{ include "ollama.configName" . | quote }}
        # r-x for all (octal 0555), in decimal: YAML 1.1 (Helm, Argo CD) reads 0555 as
        # octal and YAML 1.2 as 555, so a manifest says it the one way both read alike.
        defaultMode: 365
{{- end -}}

{{- /*
The Ollama rules of the leaf schema (zod refinements): runtime settings in
container.environment (either form) are known OLLAMA_* settings with valid values and not the
ones the chart owns, which no secret may set either; every model is declared once; custom models have local, unused names.
*/ -}}
{{- define "ollama.validate" -}}
{{- $g := include "workload-lib.generated.ollama" .root | fromJson -}}
{{- /* where each variable is written: container.environment.NAME, or .I.name / .I.value in the list form */ -}}
{{- $at := dict -}}
{{- $rawEnv := (.root.Values.container | default dict).environment -}}
{{- if kindIs "slice" $rawEnv -}}
{{- range $i, $e := $rawEnv -}}{{- if not (hasKey $at $e.name) -}}{{- $_ := set $at $e.name (printf "container.environment.%d" $i) -}}{{- end -}}{{- end -}}
{{- end -}}
{{- range $name, $value := .leaf.container.environment | default dict -}}
{{- $v := include "workload-lib.envString" $value -}}
{{- $namePath := printf "container.environment.%s" $name -}}
{{- $path := $namePath -}}
{{- if hasKey $at $name -}}
{{- $namePath = printf "%s.name" (get $at $name) -}}
{{- $path = printf "%s.value" (get $at $name) -}}
{{- end -}}
{{- if hasKey $g.managed $name -}}
{{- fail (printf "%s: is set by the chart (%s); remove it" $namePath (get $g.managed $name)) -}}
{{- else if hasKey $g.settings $name -}}
{{- $s := get $g.settings $name -}}
{{- if and (eq $s.kind "duration") (not (regexMatch "^-?(([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|[0-9]+)$" $v)) -}}
{{- fail (printf "%s: must be a duration such as \"5m\", \"24h\", \"-1\" (forever) or a number of seconds; got %q" $path $v) -}}
{{- else if and (eq $s.kind "positiveInt") (not (regexMatch "^[1-9][0-9]*$" $v)) -}}
{{- fail (printf "%s: must be a whole number of at least 1; got %q" $path $v) -}}
{{- else if and (eq $s.kind "nonNegativeInt") (not (regexMatch "^[0-9]+$" $v)) -}}
{{- fail (printf "%s: must be a whole number of at least 0; got %q" $path $v) -}}
{{- else if and (eq $s.kind "boolean") (not (has (lower $v) (list "true" "false" "1" "0"))) -}}
{{- fail (printf "%s: must be true or false; got %q" $path $v) -}}
{{- else if and (eq $s.kind "enum") (not (has $v $s.values)) -}}
{{- fail (printf "%s: must be one of %s; got %q" $path (join ", " $s.values) $v) -}}
{{- end -}}
{{- else if hasPrefix "OLLAMA_" $name -}}
{{- fail (printf "%s: is not an Ollama setting; known settings: %s" $namePath (keys $g.settings | sortAlpha | join ", ")) -}}
{{- end -}}
{{- end -}}
{{- $leafEnv := .leaf.container.environment | default dict -}}
{{- if and (eq (include "ollama.sharedVolume" .) "true") (hasKey $leafEnv "OLLAMA_NOPRUNE") (has (lower (include "workload-lib.envString" $leafEnv.OLLAMA_NOPRUNE)) (list "false" "0")) -}}
{{- $p := "container.environment.OLLAMA_NOPRUNE" -}}
{{- if hasKey $at "OLLAMA_NOPRUNE" -}}{{- $p = printf "%s.value" (get $at "OLLAMA_NOPRUNE") -}}{{- end -}}
{{- fail (printf "%s: must stay true with a shared model volume (modelStorage with ReadWriteMany or existingClaim): an Ollama server that starts prunes the files no model names, which includes the download of another replica in progress" $p) -}}
{{- end -}}
{{- range $i, $s := .leaf.container.secrets | default list -}}
{{- if hasKey $g.managed $s.name -}}
{{- fail (printf "container.secrets.%d.name: is set by the chart (%s); remove it" $i (get $g.managed $s.name)) -}}
{{- end -}}
{{- end -}}
{{- $declared := dict -}}
{{- $refs := list (list .leaf.model "model") -}}
{{- range $i, $m := .leaf.additionalModels | default list -}}{{- $refs = append $refs (list $m (printf "additionalModels.%d" $i)) -}}{{- end -}}
{{- range $refs -}}
{{- $name := (include "ollama.ref" (dict "root" $.root "ref" (index . 0)) | fromJson).name -}}
{{- if hasKey $declared $name -}}
{{- fail (printf "%s: %q is already declared at %s" (index . 1) $name (get $declared $name)) -}}
{{- end -}}
{{- $_ := set $declared $name (index . 1) -}}
{{- end -}}
{{- $custom := dict -}}
{{- range $i, $m := .leaf.customModels | default list -}}
{{- $r := include "ollama.ref" (dict "root" $.root "ref" $m.name) | fromJson -}}
{{- if or $r.digest (ne $r.host $g.defaultHost) -}}
{{- fail (printf "customModels.%d.name: must be a local name ([namespace/]name[:tag]) without a registry host or digest" $i) -}}
{{- end -}}
{{- if or (hasKey $declared $r.name) (hasKey $custom $r.name) -}}
{{- fail (printf "customModels.%d.name: %q is already the name of another model in this leaf" $i $r.name) -}}
{{- end -}}
{{- $_ := set $custom $r.name true -}}
{{- end -}}
{{- $names := concat (keys $declared | sortAlpha) (keys $custom | sortAlpha) -}}
{{- $loading := .leaf.modelLoading | default dict -}}
{{- if hasKey $loading "keepAlive" -}}
{{- $v := include "workload-lib.envString" $loading.keepAlive -}}
{{- if not (regexMatch "^-?(([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|[0-9]+)$" $v) -}}
{{- fail (printf "modelLoading.keepAlive: must be a duration such as \"5m\", \"24h\", \"-1\" (forever) or a number of seconds; got %q" $v) -}}
{{- end -}}
{{- end -}}
{{- range $i, $ref := (.leaf.modelLoading | default dict).notLoaded | default list -}}
{{- $name := (include "ollama.ref" (dict "root" $.root "ref" $ref) | fromJson).name -}}
{{- if not (has $name $names) -}}
{{- fail (printf "modelLoading.notLoaded.%d: %q is not a model of this leaf; declared: %s" $i $ref (join ", " $names)) -}}
{{- end -}}
{{- end -}}
{{- $hosts := list -}}
{{- $refs := prepend (.leaf.additionalModels | default list) .leaf.model -}}
{{- range .leaf.customModels | default list -}}{{- $refs = append $refs .from -}}{{- end -}}
{{- range $refs -}}
{{- $hosts = append $hosts (include "ollama.ref" (dict "root" $.root "ref" .) | fromJson).host -}}
{{- end -}}
{{- range $i, $h := (.leaf.modelPull | default dict).insecureRegistries | default list -}}
{{- if not (has (lower $h) $hosts) -}}
{{- fail (printf "modelPull.insecureRegistries.%d: %q is not the registry of any model of this leaf; registries: %s" $i $h ($hosts | uniq | join ", ")) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* "true" when replicas share one model volume (a ReadWriteMany claim or an existing claim). */ -}}
{{- define "ollama.sharedVolume" -}}
{{- $ms := .leaf.modelStorage -}}
{{- if and $ms (ne (include "workload-lib.models.kind" .) "StatefulSet") -}}true{{- else -}}false{{- end -}}
{{- end -}}
