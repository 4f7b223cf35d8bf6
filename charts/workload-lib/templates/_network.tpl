{{- /*
The port of the Service in front of the pods: .servicePort when the chart sets one (the
Ollama chart: 80, as in the seed architecture), else the container's HTTP port .port. The
Service forwards to the container's named port "http" either way; routes and Ingresses
name this port.
*/ -}}
{{- define "workload-lib.servicePort" -}}
{{- .servicePort | default .port | int -}}
{{- end -}}

{{- /* The Service in front of the pods. Takes $ctx with .port (the container's HTTP port) and optionally .servicePort. */ -}}
{{- define "workload-lib.service" -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" .) | nindent 2 }}
spec:
  type: ClusterIP
  selector:
    {{- include "workload-lib.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ include "workload-lib.servicePort" . }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- /* A headless Service for a StatefulSet's stable pod names (no proxy: clients reach the pods on the container's port). Takes $ctx with .port. */ -}}
{{- define "workload-lib.headlessService" -}}
apiVersion: v1
kind: Service
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (include "workload-lib.headlessName" .)) | nindent 2 }}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- include "workload-lib.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .port | int }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- define "workload-lib.headlessName" -}}
{{- printf "%s-headless" .leaf.serviceName -}}
{{- end -}}

{{- /* Ingress is on when the leaf says so; TLS is on unless the leaf turns it off. */ -}}
{{- define "workload-lib.tlsEnabled" -}}
{{- $ing := .leaf.ingress | default dict -}}
{{- if and $ing.enabled (or (not (hasKey $ing "tls")) $ing.tls.enabled) -}}true{{- end -}}
{{- end -}}

{{- /* The TLS Secret: the leaf's existing one, or "<service>-tls" issued by cert-manager. */ -}}
{{- define "workload-lib.tlsSecretName" -}}
{{- $tls := .leaf.ingress.tls | default dict -}}
{{- $tls.secretName | default (printf "%s-tls" .leaf.serviceName) -}}
{{- end -}}

{{- /*
External traffic: a Gateway API HTTPRoute on the platform's Gateway (platform.ingress.mode
"gateway", the default) or a networking.k8s.io Ingress ("ingress"); with TLS, a cert-manager
Certificate for the host unless the leaf names an existing Secret, and (Gateway mode) a
ReferenceGrant that lets the Gateway's listener read that Secret. Takes $ctx with .port.
*/ -}}
{{- define "workload-lib.ingress" -}}
{{- $ing := .leaf.ingress | default dict -}}
{{- if $ing.enabled -}}
{{- $name := include "workload-lib.name" . -}}
{{- $tls := include "workload-lib.tlsEnabled" . -}}
{{- $secret := include "workload-lib.tlsSecretName" . -}}
{{- $p := .platform.ingress -}}
{{- if eq $p.mode "gateway" }}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "annotations" $p.annotations) | nindent 2 }}
spec:
  parentRefs:
    - group: gateway.networking.k8s.io
      kind: Gateway
      name: {{ $p.gateway.name | quote }}
      namespace: {{ $p.gateway.namespace | quote }}
      {{- with $p.gateway.sectionName }}
      sectionName: {{ . | quote }}
      {{- end }}
  hostnames:
    - {{ $ing.host | quote }}
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: {{ $ing.path | quote }}
      backendRefs:
        {{- $backend := include "workload-lib.routeBackend" . | fromJson }}
        - name: {{ $backend.name | quote }}
          {{- with $backend.namespace }}
          namespace: {{ . | quote }}
          {{- end }}
          port: {{ $backend.port | int }}
{{- if $tls }}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (printf "%s-tls-gateway" $name)) | nindent 2 }}
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: Gateway
      namespace: {{ $p.gateway.namespace | quote }}
  to:
    - group: ""
      kind: Secret
      name: {{ $secret | quote }}
{{- end }}
{{- else }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "annotations" $p.annotations) | nindent 2 }}
spec:
  {{- with $p.className }}
  ingressClassName: {{ . | quote }}
  {{- end }}
  {{- if $tls }}
  tls:
    - hosts:
        - {{ $ing.host | quote }}
      secretName: {{ $secret | quote }}
  {{- end }}
  rules:
    - host: {{ $ing.host | quote }}
      http:
        paths:
          - path: {{ $ing.path | quote }}
            pathType: Prefix
            backend:
              {{- $backend := include "workload-lib.routeBackend" . | fromJson }}
              service:
                name: {{ $backend.name | quote }}
                port:
                  number: {{ $backend.port | int }}
{{- end }}
{{- if and $tls .platform.certManager.enabled (not ($ing.tls | default dict).secretName) }}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" $secret) | nindent 2 }}
spec:
  secretName: {{ $secret | quote }}
  dnsNames:
    - {{ $ing.host | quote }}
  issuerRef:
    group: cert-manager.io
    kind: {{ .platform.certManager.issuerKind | quote }}
    name: {{ .platform.certManager.issuerName | quote }}
{{- end }}
{{- end -}}
{{- end -}}

{{- define "workload-lib.vaultSecretName" -}}
{{- printf "%s-vault" .leaf.serviceName -}}
{{- end -}}

{{- /*
Vault references (container.secrets[].vault) become one ExternalSecret (External Secrets
Operator) that writes the Secret "<service>-vault", one key per variable; the container
reads it with secretKeyRef. The store (platform.externalSecrets) is a Vault KV v2 store.
*/ -}}
{{- define "workload-lib.externalSecret" -}}
{{- $vault := list -}}
{{- range (.leaf.container | default dict).secrets | default list -}}
{{- if .vault -}}{{- $vault = append $vault . -}}{{- end -}}
{{- end -}}
{{- if $vault }}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (include "workload-lib.vaultSecretName" .)) | nindent 2 }}
spec:
  refreshInterval: {{ .platform.externalSecrets.refreshInterval | quote }}
  secretStoreRef:
    kind: {{ .platform.externalSecrets.secretStoreKind | quote }}
    name: {{ .platform.externalSecrets.secretStoreName | quote }}
  target:
    name: {{ include "workload-lib.vaultSecretName" . | quote }}
    creationPolicy: Owner
  data:
    {{- range $vault }}
    - secretKey: {{ .name | quote }}
      remoteRef:
        key: {{ .vault.path | quote }}
        property: {{ .vault.key | quote }}
    {{- end }}
{{- end -}}
{{- end -}}

{{- /* Service, ingress objects and the ExternalSecret: what every chart renders the same way. Takes $ctx with .port. */ -}}
{{- define "workload-lib.common" -}}
{{- include "workload-lib.service" . }}
{{- include "workload-lib.ingress" . }}
{{- include "workload-lib.interceptorService" . }}
{{- include "workload-lib.pdb" . }}
{{- include "workload-lib.externalSecret" . }}
{{- end -}}
