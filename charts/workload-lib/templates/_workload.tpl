{{- /*
A Deployment or a StatefulSet around a pod template. Takes $ctx with:
  .kind                     "Deployment" or "StatefulSet"
  .podTemplate              the rendered pod template (metadata + spec)
  .volumeClaimTemplates     (StatefulSet) rendered list of claim templates, or ""
  .strategy                 (Deployment) "RollingUpdate" or "Recreate"
  .progressDeadlineSeconds  (Deployment) optional
*/ -}}
{{- define "workload-lib.workload" -}}
apiVersion: apps/v1
kind: {{ .kind }}
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" .) | nindent 2 }}
spec:
  {{- /* with autoscaling the autoscaler owns the count (_autoscaling.tpl) */}}
  {{- if not .leaf.autoscaling }}
  replicas: {{ .leaf.container.replicas | int }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "workload-lib.selectorLabels" . | nindent 6 }}
  {{- if eq .kind "StatefulSet" }}
  serviceName: {{ include "workload-lib.headlessName" . | quote }}
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  {{- else }}
  {{- with .progressDeadlineSeconds }}
  progressDeadlineSeconds: {{ . | int }}
  {{- end }}
  strategy:
    type: {{ .strategy | default "RollingUpdate" }}
  {{- end }}
  template:
    {{- .podTemplate | nindent 4 }}
  {{- with .volumeClaimTemplates }}
  volumeClaimTemplates:
    {{- . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- /* metadata of a pod template: labels, plus annotations given as a dict (.podAnnotations). */ -}}
{{- define "workload-lib.podMetadata" -}}
metadata:
  labels:
    {{- include "workload-lib.labels" . | nindent 4 }}
  {{- with .podAnnotations }}
  annotations:
    {{- range $k, $v := . }}
    {{ $k | quote }}: {{ $v | quote }}
    {{- end }}
  {{- end }}
{{- end -}}

{{- /* Probes of an application container: HTTP on container.healthPath when set, else TCP on the port. */ -}}
{{- define "workload-lib.appProbes" -}}
{{- $c := .leaf.container -}}
{{- $check := "" -}}
{{- if $c.healthPath -}}
{{- $check = printf "httpGet:\n  path: %s\n  port: http" ($c.healthPath | quote) -}}
{{- else -}}
{{- $check = "tcpSocket:\n  port: http" -}}
{{- end -}}
startupProbe:
  {{- $check | nindent 2 }}
  periodSeconds: 5
  failureThreshold: 60
readinessProbe:
  {{- $check | nindent 2 }}
  periodSeconds: 10
  failureThreshold: 3
livenessProbe:
  tcpSocket:
    port: http
  periodSeconds: 20
  failureThreshold: 3
{{- end -}}

{{- /*
The container of the application workload types (the leaf's image). Takes $ctx with
.volumeMounts (rendered list or "").
*/ -}}
{{- define "workload-lib.appContainer" -}}
{{- $c := .leaf.container -}}
name: app
image: {{ $c.image | quote }}
imagePullPolicy: IfNotPresent
{{- with $c.command }}
command:
  {{- range . }}
  - {{ toJson . }}
  {{- end }}
{{- end }}
{{- with $c.args }}
args:
  {{- range . }}
  - {{ toJson . }}
  {{- end }}
{{- end }}
ports:
  - name: http
    containerPort: {{ $c.port | int }}
    protocol: TCP
{{- with include "workload-lib.env" . | trim }}
env:
  {{- . | nindent 2 }}
{{- end }}
{{- with include "workload-lib.resources" . | trim }}
resources:
  {{- . | nindent 2 }}
{{- end }}
{{- include "workload-lib.appProbes" . | nindent 0 }}
securityContext:
  {{- include "workload-lib.containerSecurityContext" (dict) | nindent 2 }}
{{- with .volumeMounts }}
volumeMounts:
  {{- . | nindent 2 }}
{{- end }}
{{- end -}}

{{- /* The pod template of the application workload types. Takes $ctx with .volumeMounts and .volumes. */ -}}
{{- define "workload-lib.appPodTemplate" -}}
{{- include "workload-lib.podMetadata" . }}
spec:
  automountServiceAccountToken: false
  enableServiceLinks: false
  terminationGracePeriodSeconds: 30
  securityContext:
    {{- include "workload-lib.podSecurityContext" . | nindent 4 }}
  containers:
    - {{ include "workload-lib.appContainer" . | indent 6 | trim }}
  {{- with .volumes }}
  volumes:
    {{- . | nindent 4 }}
  {{- end }}
{{- end -}}
