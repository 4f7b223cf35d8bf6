{{- /* Every object is named after the leaf's serviceName (a DNS-1123 label of at most 53 characters). */ -}}
{{- define "workload-lib.name" -}}
{{- .leaf.serviceName -}}
{{- end -}}

{{- /* Labels the selectors use: stable for the life of the workload. */ -}}
{{- define "workload-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ .leaf.serviceName | quote }}
app.kubernetes.io/instance: {{ .root.Release.Name | quote }}
{{- end -}}

{{- /*
Labels on every object (and pod). The workload-catalog.dev/* labels are the contract the
Backstage entity page and the Argo CD Applications use (see deploy/argocd/README.md).
*/ -}}
{{- define "workload-lib.labels" -}}
{{ include "workload-lib.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: {{ .leaf.serviceCatalog | quote }}
app.kubernetes.io/component: {{ .root.Chart.Name }}
backstage.io/kubernetes-id: {{ .leaf.serviceName | quote }}
workload-catalog.dev/service-name: {{ .leaf.serviceName | quote }}
workload-catalog.dev/catalog: {{ .leaf.serviceCatalog | quote }}
workload-catalog.dev/environment: {{ .leaf.environment | quote }}
workload-catalog.dev/workload-type: {{ .leaf.workloadType | quote }}
{{- range $k, $v := .platform.labels }}
{{ $k | quote }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{- define "workload-lib.annotations" -}}
{{- if .leaf.owner }}
workload-catalog.dev/owner: {{ .leaf.owner | quote }}
{{- end }}
{{- if .leaf.description }}
workload-catalog.dev/description: {{ .leaf.description | quote }}
{{- end }}
{{- end -}}

{{- /* metadata: name, namespace, labels, annotations. Takes (dict "ctx" $ctx "name" NAME "annotations" DICT). */ -}}
{{- define "workload-lib.metadata" -}}
{{- $annotations := include "workload-lib.annotations" .ctx | trim -}}
name: {{ .name | default (include "workload-lib.name" .ctx) | quote }}
namespace: {{ .ctx.leaf.namespace | quote }}
labels:
  {{- include "workload-lib.labels" .ctx | nindent 2 }}
{{- if or $annotations .annotations }}
annotations:
  {{- with $annotations }}
  {{- . | nindent 2 }}
  {{- end }}
  {{- range $k, $v := .annotations }}
  {{ $k | quote }}: {{ $v | quote }}
  {{- end }}
{{- end }}
{{- end -}}
