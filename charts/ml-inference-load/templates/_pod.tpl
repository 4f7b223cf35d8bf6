{{- /*
The Text Generation Inference pod: the launcher downloads the model at the pinned revision
into /data (the model storage) and serves it on port 8080. Ready when /health answers, which
TGI does only once the model is loaded; the startup probe allows platform.tgi.startupSeconds
for the download. Shared memory for NCCL is a memory-backed emptyDir of sharedMemory.
Takes $ctx with .image.
*/ -}}
{{- define "tgi.podTemplate" -}}
{{- $p := .platform -}}
{{- $leaf := .leaf -}}
{{- $pinned := regexMatch "^[0-9a-f]{40}$" ($leaf.model.revision | default "") -}}
{{- $annotations := dict "workload-catalog.dev/model-revision-pinned" (toString $pinned) -}}
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
  containers:
    - name: tgi
      image: {{ .image | quote }}
      imagePullPolicy: IfNotPresent
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
      env:
        {{- include "workload-lib.env" . | trim | nindent 8 }}
      {{- with include "workload-lib.resources" . | trim }}
      resources:
        {{- . | nindent 8 }}
      {{- end }}
      startupProbe:
        httpGet:
          path: /health
          port: http
        periodSeconds: 10
        timeoutSeconds: 5
        failureThreshold: {{ div $p.tgi.startupSeconds 10 }}
      readinessProbe:
        httpGet:
          path: /health
          port: http
        periodSeconds: 10
        timeoutSeconds: 5
        failureThreshold: 3
      livenessProbe:
        tcpSocket:
          port: http
        periodSeconds: 20
        timeoutSeconds: 5
        failureThreshold: 3
      securityContext:
        {{- include "workload-lib.containerSecurityContext" (dict) | nindent 8 }}
      volumeMounts:
        - name: models
          mountPath: /data
        - name: shm
          mountPath: /dev/shm
        - name: tmp
          mountPath: /tmp
  volumes:
    {{- with include "workload-lib.models.volume" . }}
    {{- . | nindent 4 }}
    {{- end }}
    - name: shm
      emptyDir:
        medium: Memory
        sizeLimit: {{ include "workload-lib.quantity" $leaf.sharedMemory }}
    - name: tmp
      emptyDir: {}
{{- end -}}
