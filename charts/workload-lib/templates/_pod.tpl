{{- /*
Pod Security "restricted" for every pod: non-root user, seccomp RuntimeDefault, no
privilege escalation, all capabilities dropped. The user and group are platform values.
*/ -}}
{{- define "workload-lib.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .platform.podSecurity.runAsUser | int64 }}
runAsGroup: {{ .platform.podSecurity.runAsGroup | int64 }}
fsGroup: {{ .platform.podSecurity.fsGroup | int64 }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- /* Takes (dict "readOnlyRootFilesystem" BOOL). */ -}}
{{- define "workload-lib.containerSecurityContext" -}}
allowPrivilegeEscalation: false
privileged: false
runAsNonRoot: true
readOnlyRootFilesystem: {{ .readOnlyRootFilesystem | default false }}
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- /* A quantity as a quoted string ("2", "500m", "4Gi"); leaves may write numbers. */ -}}
{{- define "workload-lib.quantity" -}}
{{- include "workload-lib.envString" . | quote -}}
{{- end -}}

{{- /*
Container resources: container.resources, or the named preset (RESOURCE_PRESETS, generated),
or nothing (the namespace's defaults). GPU workloads add gpu.count as a limit of the
platform's GPU resource (nvidia.com/gpu), which Kubernetes also uses as the request.
Takes $ctx (with .gpuCount set by GPU charts).
*/ -}}
{{- define "workload-lib.resources" -}}
{{- $c := .leaf.container | default dict -}}
{{- $res := dict -}}
{{- if $c.resourcePreset -}}
{{- $presets := include "workload-lib.generated.presets" .root | fromJson -}}
{{- $res = deepCopy (get $presets $c.resourcePreset) -}}
{{- else if $c.resources -}}
{{- $res = deepCopy $c.resources -}}
{{- end -}}
{{- $gpus := int (.gpuCount | default 0) -}}
{{- if gt $gpus 0 -}}
{{- $limits := $res.limits | default dict -}}
{{- $_ := set $limits .platform.gpu.resourceName $gpus -}}
{{- $_ := set $res "limits" $limits -}}
{{- end -}}
{{- range $side := list "requests" "limits" -}}
{{- with get $res $side }}
{{ $side }}:
{{- range $name, $q := . }}
  {{ $name }}: {{ include "workload-lib.quantity" $q }}
{{- end }}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /*
Environment, in this order:
  .fixedEnv      the chart's own variables (a list of EnvVar): the leaf cannot change them,
                 a leaf variable of the same name is left out;
  .defaultEnv    defaults (a list of EnvVar) that the leaf's container.environment overrides;
  container.environment (sorted by name);
  container.secrets as references: an existing Secret (secretKeyRef), or Vault through the
                 ExternalSecret "<service>-vault".
Takes $ctx plus .fixedEnv and .defaultEnv.
*/ -}}
{{- define "workload-lib.env" -}}
{{- $c := .leaf.container | default dict -}}
{{- $fixed := dict -}}
{{- range .fixedEnv | default list -}}{{- $_ := set $fixed .name true -}}{{- end -}}
{{- $leafEnv := $c.environment | default dict -}}
{{- range .fixedEnv | default list }}
- {{ toJson . }}
{{- end }}
{{- range .defaultEnv | default list }}
{{- if not (hasKey $leafEnv .name) }}
- {{ toJson . }}
{{- end }}
{{- end }}
{{- range $name, $value := $leafEnv }}
{{- if not (hasKey $fixed $name) }}
- name: {{ $name | quote }}
  value: {{ include "workload-lib.envValue" $value }}
{{- end }}
{{- end }}
{{- range $c.secrets | default list }}
{{- if not (hasKey $fixed .name) }}
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
{{- end }}
{{- end -}}

{{- /* An environment value as a string: whole numbers without a fraction, true/false as written. */ -}}
{{- define "workload-lib.envString" -}}
{{- if and (kindIs "float64" .) (eq (floor .) .) (lt . 1e15) (gt . -1e15) -}}
{{- printf "%d" (int64 .) -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}

{{- define "workload-lib.envValue" -}}
{{- include "workload-lib.envString" . | quote -}}
{{- end -}}

{{- /* Pod-level scheduling of GPU workloads: runtime class, node selector, tolerations. Takes $ctx with .gpuCount. */ -}}
{{- define "workload-lib.gpuScheduling" -}}
{{- $gpus := int (.gpuCount | default 0) -}}
{{- $selector := dict -}}
{{- if gt $gpus 0 -}}
{{- $selector = deepCopy .platform.gpu.nodeSelector -}}
{{- with .leaf.gpu.product -}}{{- $_ := set $selector $.platform.gpu.productLabel . -}}{{- end -}}
{{- end -}}
{{- if and (gt $gpus 0) .platform.gpu.runtimeClassName }}
runtimeClassName: {{ .platform.gpu.runtimeClassName | quote }}
{{- end }}
{{- with $selector }}
nodeSelector:
  {{- range $k, $v := . }}
  {{ $k | quote }}: {{ $v | quote }}
  {{- end }}
{{- end }}
{{- if and (gt $gpus 0) .platform.gpu.tolerations }}
tolerations:
  {{- toYaml .platform.gpu.tolerations | nindent 2 }}
{{- end }}
{{- end -}}

{{- /* Checksum of a rendered template, for pod annotations that roll pods when it changes. */ -}}
{{- define "workload-lib.checksum" -}}
{{- . | sha256sum | trunc 16 -}}
{{- end -}}
