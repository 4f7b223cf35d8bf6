{{- /* One volume "data" per replica, from the leaf's storage. */ -}}
{{- define "stateful.claimTemplates" -}}
{{- $s := .leaf.storage -}}
- metadata:
    name: data
    labels:
      {{- include "workload-lib.selectorLabels" . | nindent 6 }}
  spec:
    accessModes: [{{ $s.accessMode | quote }}]
    {{- with $s.storageClassName }}
    storageClassName: {{ . | quote }}
    {{- end }}
    resources:
      requests:
        storage: {{ include "workload-lib.quantity" $s.size }}
{{- end -}}
