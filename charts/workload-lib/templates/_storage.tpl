{{- /*
Model storage of the inference charts (leaf field modelStorage), and how it decides the
workload kind so that more than one replica works:

  modelStorage            kind         volume                               strategy
  (none)                  Deployment   emptyDir (models pulled each start)  RollingUpdate
  size, ReadWriteOnce     StatefulSet  one claim per replica                rolling, per pod
                                       (volumeClaimTemplates)
  size, ReadWriteMany     Deployment   one claim "<service>-models",        RollingUpdate
                                       shared by all replicas
  existingClaim, RWX      Deployment   that claim, shared                   RollingUpdate
  existingClaim, RWO      Deployment   that claim; replicas are kept on     Recreate
                                       one node (pod affinity), since a
                                       ReadWriteOnce volume attaches to one node

Takes $ctx.
*/ -}}
{{- define "workload-lib.models.kind" -}}
{{- $ms := .leaf.modelStorage -}}
{{- if and $ms $ms.size (eq $ms.accessMode "ReadWriteOnce") -}}StatefulSet{{- else -}}Deployment{{- end -}}
{{- end -}}

{{- define "workload-lib.models.strategy" -}}
{{- $ms := .leaf.modelStorage -}}
{{- if and $ms $ms.existingClaim (eq $ms.accessMode "ReadWriteOnce") -}}Recreate{{- else -}}RollingUpdate{{- end -}}
{{- end -}}

{{- define "workload-lib.models.claimName" -}}
{{- $ms := .leaf.modelStorage -}}
{{- $ms.existingClaim | default (printf "%s-models" .leaf.serviceName) -}}
{{- end -}}

{{- /* The pod volume "models" (not for the StatefulSet, whose claim template has that name). */ -}}
{{- define "workload-lib.models.volume" -}}
{{- $ms := .leaf.modelStorage -}}
{{- if not $ms -}}
- name: models
  emptyDir: {}
{{- else if ne (include "workload-lib.models.kind" .) "StatefulSet" -}}
- name: models
  persistentVolumeClaim:
    claimName: {{ include "workload-lib.models.claimName" . | quote }}
{{- end -}}
{{- end -}}

{{- define "workload-lib.models.claimSpec" -}}
{{- $ms := .leaf.modelStorage -}}
accessModes: [{{ $ms.accessMode | quote }}]
{{- with $ms.storageClassName }}
storageClassName: {{ . | quote }}
{{- end }}
resources:
  requests:
    storage: {{ include "workload-lib.quantity" $ms.size }}
{{- end -}}

{{- /* The StatefulSet's claim template. */ -}}
{{- define "workload-lib.models.claimTemplates" -}}
{{- if eq (include "workload-lib.models.kind" .) "StatefulSet" -}}
- metadata:
    name: models
    labels:
      {{- include "workload-lib.selectorLabels" . | nindent 6 }}
  spec:
    {{- include "workload-lib.models.claimSpec" . | nindent 4 }}
{{- end -}}
{{- end -}}

{{- /*
The shared claim the chart creates for size + ReadWriteMany. Argo CD keeps it when the
Application is deleted (Delete=false), so removing a leaf never deletes downloaded models.
*/ -}}
{{- define "workload-lib.models.pvc" -}}
{{- $ms := .leaf.modelStorage -}}
{{- if and $ms $ms.size (eq $ms.accessMode "ReadWriteMany") }}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (include "workload-lib.models.claimName" .) "annotations" (dict "argocd.argoproj.io/sync-options" "Delete=false" "helm.sh/resource-policy" "keep")) | nindent 2 }}
spec:
  {{- include "workload-lib.models.claimSpec" . | nindent 2 }}
{{- end -}}
{{- end -}}

{{- /* Pod affinity that keeps all replicas on one node when they share a ReadWriteOnce claim. */ -}}
{{- define "workload-lib.models.affinity" -}}
{{- $ms := .leaf.modelStorage -}}
{{- if and $ms $ms.existingClaim (eq $ms.accessMode "ReadWriteOnce") (gt (include "workload-lib.maxReplicas" . | int) 1) -}}
affinity:
  podAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "workload-lib.selectorLabels" . | nindent 12 }}
{{- end -}}
{{- end -}}
