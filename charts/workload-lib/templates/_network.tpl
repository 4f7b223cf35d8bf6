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
What the route sends to the service, as {"matches": [{type, value}]} (type Exact or
PathPrefix, as Gateway API names them): the leaf's ingress.paths ("/v1/" a prefix, "/api/chat"
exact), else an inference server's inference endpoints (SERVER_ENDPOINTS, generated), else
the prefix ingress.path of a container.
*/ -}}
{{- define "workload-lib.routeMatches" -}}
{{- $ing := .leaf.ingress | default dict -}}
{{- $endpoints := get (include "workload-lib.generated.endpoints" . | fromJson) (toString .leaf.workloadType) -}}
{{- $matches := list -}}
{{- if $ing.paths -}}
{{- range $ing.paths -}}
{{- if eq . "/" -}}{{- $matches = append $matches (dict "type" "PathPrefix" "value" "/") -}}
{{- else if hasSuffix "/" . -}}{{- $matches = append $matches (dict "type" "PathPrefix" "value" (trimSuffix "/" .)) -}}
{{- else -}}{{- $matches = append $matches (dict "type" "Exact" "value" .) -}}
{{- end -}}
{{- end -}}
{{- else if $endpoints -}}
{{- $routes := include "workload-lib.routeMatches" (dict "leaf" (dict "ingress" (dict "paths" $endpoints.public))) | fromJson -}}
{{- $matches = $routes.matches -}}
{{- else -}}
{{- $matches = list (dict "type" "PathPrefix" "value" ($ing.path | default "/")) -}}
{{- end -}}
{{- toJson (dict "matches" $matches) -}}
{{- end -}}

{{- /*
The route of an inference server, as policyIssues checks it with the default policy:
ingress.path "/" (the server answers at its own paths) and ingress.paths only its inference
endpoints and the platform's platform.ingress.extraPaths (the ceiling of the policy file's
ingress.extraPaths). Takes $ctx.
*/ -}}
{{- define "workload-lib.validateExposure" -}}
{{- $ing := .leaf.ingress | default dict -}}
{{- $e := get (include "workload-lib.generated.endpoints" . | fromJson) (toString .leaf.workloadType) -}}
{{- if $e -}}
{{- if and $ing.path (ne $ing.path "/") -}}
{{- fail (printf "ingress.path: must be \"/\" for %s: the server answers at its own endpoint paths, which a route cannot move under %q; choose the endpoints with ingress.paths" $e.server $ing.path) -}}
{{- end -}}
{{- $allowed := concat $e.public (.platform.ingress.extraPaths | default list) -}}
{{- range $i, $path := $ing.paths | default list -}}
{{- $ok := false -}}
{{- range $allowed -}}
{{- if or (eq . $path) (and (hasSuffix "/" .) (hasPrefix . $path)) -}}{{- $ok = true -}}{{- end -}}
{{- end -}}
{{- if not $ok -}}
{{- fail (printf "ingress.paths.%d: %q is not one of the endpoints a route of %s exposes (platform.ingress.extraPaths adds more); allowed: %s" $i $path $e.server (join ", " $allowed)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* Whether platform.ingress.auth applies to this chart's route ("true" or ""). */ -}}
{{- define "workload-lib.authEnabled" -}}
{{- $auth := .platform.ingress.auth | default dict -}}
{{- if and $auth.mode (ne $auth.mode "none") (has (toString .leaf.workloadType) ($auth.workloadTypes | default list)) -}}true{{- end -}}
{{- end -}}

{{- /* ingress-nginx annotations of platform.ingress.auth (mode ingress), as JSON. */ -}}
{{- define "workload-lib.ingressAuthAnnotations" -}}
{{- $auth := .platform.ingress.auth | default dict -}}
{{- $out := dict -}}
{{- if include "workload-lib.authEnabled" . -}}
{{- if eq $auth.mode "api-key" -}}
{{- fail "platform.ingress.auth.mode: api-key needs platform.ingress.mode gateway (an Envoy Gateway SecurityPolicy with apiKeyAuth); ingress-nginx has no API-key check: use oauth2-proxy" -}}
{{- end -}}
{{- $o := $auth.oauth2Proxy | default dict -}}
{{- if not $o.authUrl -}}
{{- fail "platform.ingress.auth.oauth2Proxy.authUrl: is required with mode oauth2-proxy and platform.ingress.mode ingress (nginx.ingress.kubernetes.io/auth-url), e.g. https://auth.example.com/oauth2/auth" -}}
{{- end -}}
{{- $_ := set $out "nginx.ingress.kubernetes.io/auth-url" $o.authUrl -}}
{{- with $o.signinUrl -}}{{- $_ := set $out "nginx.ingress.kubernetes.io/auth-signin" . -}}{{- end -}}
{{- with $o.headersToBackend -}}{{- $_ := set $out "nginx.ingress.kubernetes.io/auth-response-headers" (join "," .) -}}{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{- define "workload-lib.apiKeySecretName" -}}
{{- $k := .platform.ingress.auth.apiKey | default dict -}}
{{- $k.secretName | default (printf "%s-api-keys" .leaf.serviceName) -}}
{{- end -}}

{{- /*
platform.ingress.auth in mode gateway: an Envoy Gateway SecurityPolicy (gateway.envoyproxy.io/v1alpha1)
on the HTTPRoute: extAuth to the platform's oauth2-proxy, or apiKeyAuth with the keys of a
Secret (an existing one, or one an ExternalSecret writes from Vault). Takes $ctx.
*/ -}}
{{- define "workload-lib.gatewayAuth" -}}
{{- if include "workload-lib.authEnabled" . -}}
{{- $auth := .platform.ingress.auth -}}
{{- $name := include "workload-lib.name" . -}}
{{- $k := $auth.apiKey | default dict -}}
{{- $o := $auth.oauth2Proxy | default dict -}}
{{- if and (eq $auth.mode "oauth2-proxy") (not $o.service) -}}
{{- fail "platform.ingress.auth.oauth2Proxy.service: is required with mode oauth2-proxy and platform.ingress.mode gateway: the oauth2-proxy Service ({name, namespace, port}) the SecurityPolicy's extAuth calls" -}}
{{- end -}}
{{- if and (eq $auth.mode "api-key") (not $k.secretName) (not $k.vaultKeyPrefix) -}}
{{- fail "platform.ingress.auth.apiKey: set secretName (an existing Secret in the workload's namespace) or vaultKeyPrefix (an ExternalSecret writes it from Vault); never a key itself" -}}
{{- end }}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (printf "%s-auth" $name)) | nindent 2 }}
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: {{ $name | quote }}
  {{- if eq $auth.mode "oauth2-proxy" }}
  extAuth:
    http:
      backendRefs:
        - group: ""
          kind: Service
          name: {{ $o.service.name | quote }}
          namespace: {{ $o.service.namespace | quote }}
          port: {{ $o.service.port | int }}
      path: {{ $o.path | quote }}
      {{- with $o.headersToBackend }}
      headersToBackend:
        {{- range . }}
        - {{ . | quote }}
        {{- end }}
      {{- end }}
  {{- else }}
  apiKeyAuth:
    credentialRefs:
      - group: ""
        kind: Secret
        name: {{ include "workload-lib.apiKeySecretName" . | quote }}
    extractFrom:
      - headers:
          - {{ $k.header | quote }}
    sanitize: true
  {{- end }}
{{- if and (eq $auth.mode "api-key") (not $k.secretName) }}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (include "workload-lib.apiKeySecretName" .)) | nindent 2 }}
spec:
  refreshInterval: {{ .platform.externalSecrets.refreshInterval | quote }}
  secretStoreRef:
    kind: {{ .platform.externalSecrets.secretStoreKind | quote }}
    name: {{ .platform.externalSecrets.secretStoreName | quote }}
  target:
    name: {{ include "workload-lib.apiKeySecretName" . | quote }}
    creationPolicy: Owner
  dataFrom:
    - extract:
        key: {{ printf "%s/%s/%s" $k.vaultKeyPrefix .leaf.namespace .leaf.serviceName | quote }}
{{- end }}
{{- end -}}
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
{{- $routes := include "workload-lib.routeMatches" . | fromJson -}}
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
        {{- range $routes.matches }}
        - path:
            type: {{ .type | quote }}
            value: {{ .value | quote }}
        {{- end }}
      backendRefs:
        {{- $backend := include "workload-lib.routeBackend" . | fromJson }}
        - name: {{ $backend.name | quote }}
          {{- with $backend.namespace }}
          namespace: {{ . | quote }}
          {{- end }}
          port: {{ $backend.port | int }}
{{- include "workload-lib.gatewayAuth" . }}
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
  {{- include "workload-lib.metadata" (dict "ctx" . "annotations" (merge (include "workload-lib.ingressAuthAnnotations" . | fromJson) $p.annotations)) | nindent 2 }}
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
          {{- range $routes.matches }}
          - path: {{ .value | quote }}
            pathType: {{ ternary "Exact" "Prefix" (eq .type "Exact") | quote }}
            backend:
              {{- $backend := include "workload-lib.routeBackend" $ | fromJson }}
              service:
                name: {{ $backend.name | quote }}
                port:
                  number: {{ $backend.port | int }}
          {{- end }}
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
