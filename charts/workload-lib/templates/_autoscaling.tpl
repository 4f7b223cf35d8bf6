{{- /*
Autoscaling (the leaf's `autoscaling`, inference types) and disruption budgets (every chart).

With autoscaling the autoscaler owns the replica count: "workload-lib.workload" writes no
spec.replicas (Argo CD would reset the count at every sync), and the most replicas the
workload may run is autoscaling.maxReplicas (the GPU policy counts it too).
*/ -}}

{{- /* "true" when the leaf has an autoscaling section. */ -}}
{{- define "workload-lib.autoscaled" -}}
{{- if .leaf.autoscaling -}}true{{- end -}}
{{- end -}}

{{- /* The most replicas the workload may run: autoscaling.maxReplicas, else container.replicas. */ -}}
{{- define "workload-lib.maxReplicas" -}}
{{- if .leaf.autoscaling -}}
{{- .leaf.autoscaling.maxReplicas | int -}}
{{- else -}}
{{- (.leaf.container | default dict).replicas | default 1 | int -}}
{{- end -}}
{{- end -}}

{{- /*
The autoscaling rules JSON Schema cannot express, with the CLI's messages (the zod
refinements in plugins/workload-catalog-common/src/schema/autoscaling.ts). Takes $ctx.
*/ -}}
{{- define "workload-lib.autoscaling.validate" -}}
{{- with .leaf.autoscaling -}}
{{- $min := .minReplicas | int -}}
{{- $max := .maxReplicas | int -}}
{{- if gt $min $max -}}
{{- fail (printf "autoscaling.minReplicas: must be at most maxReplicas (%d); got %d" $max $min) -}}
{{- end -}}
{{- $replicas := ($.leaf.container | default dict).replicas | default 1 | int -}}
{{- if gt $replicas $max -}}
{{- fail (printf "container.replicas: must be at most autoscaling.maxReplicas (%d); got %d. With autoscaling the autoscaler owns the count between minReplicas and maxReplicas: leave container.replicas out" $max $replicas) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /*
A PodDisruptionBudget when the workload may run more than one replica (container.replicas
or autoscaling.maxReplicas above 1): a node drain then takes one pod at a time. With one
replica a budget would either block drains (minAvailable 1) or allow nothing useful, so
none is rendered. Takes $ctx.
*/ -}}
{{- define "workload-lib.pdb" -}}
{{- if gt (include "workload-lib.maxReplicas" . | int) 1 }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" .) | nindent 2 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "workload-lib.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- /*
The Service the route sends traffic to: the workload's own, or (an Ollama leaf with
autoscaling, .viaInterceptor) the KEDA HTTP add-on's interceptor proxy, which counts the
requests the autoscaler scales on and holds them while a replica starts. Gateway mode
references the interceptor in its namespace (the platform grants that with a ReferenceGrant
there); an Ingress cannot, so it goes through an ExternalName Service "<name>-interceptor"
in the workload's namespace ("workload-lib.interceptorService").
Returns JSON {name, namespace, port}; namespace is "" for a Service of the workload's namespace.
*/ -}}
{{- define "workload-lib.routeBackend" -}}
{{- if .viaInterceptor -}}
{{- $i := .platform.autoscaling.httpAddOn.interceptor -}}
{{- if eq .platform.ingress.mode "gateway" -}}
{{- dict "name" $i.name "namespace" $i.namespace "port" ($i.port | int) | toJson -}}
{{- else -}}
{{- dict "name" (printf "%s-interceptor" .leaf.serviceName) "namespace" "" "port" ($i.port | int) | toJson -}}
{{- end -}}
{{- else -}}
{{- dict "name" (include "workload-lib.name" .) "namespace" "" "port" (include "workload-lib.servicePort" . | int) | toJson -}}
{{- end -}}
{{- end -}}

{{- /* Ingress mode with .viaInterceptor: an ExternalName Service for the interceptor in the workload's namespace. */ -}}
{{- define "workload-lib.interceptorService" -}}
{{- if and .viaInterceptor (.leaf.ingress | default dict).enabled (ne .platform.ingress.mode "gateway") }}
{{- $i := .platform.autoscaling.httpAddOn.interceptor }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (printf "%s-interceptor" .leaf.serviceName)) | nindent 2 }}
spec:
  type: ExternalName
  externalName: {{ printf "%s.%s.svc.cluster.local" $i.name $i.namespace | quote }}
  ports:
    - name: http
      port: {{ $i.port | int }}
      protocol: TCP
{{- end }}
{{- end -}}
