{{- /*
An Ollama model reference, parsed the way parseOllamaRef does (plugins/workload-catalog-common
src/models/ollamaRef.ts): [host/][namespace/]name[:tag][@sha256:<hex>]. Returns JSON
{"name": canonical short name (what `ollama pull` and /api/tags use), "digest": pin or "",
"host": registry host}. A test renders many generated references and compares the names
with ollamaPullName().
*/ -}}
{{- define "ollama.ref" -}}
{{- $d := include "workload-lib.generated.ollama" .root | fromJson -}}
{{- $ref := trim .ref -}}
{{- $digest := "" -}}
{{- if contains "@" $ref -}}
{{- $digest = regexReplaceAll "^.*@sha256:" $ref "" | lower -}}
{{- $ref = regexReplaceAll "@.*$" $ref "" -}}
{{- end -}}
{{- $segs := splitList "/" $ref -}}
{{- $n := len $segs -}}
{{- $last := last $segs -}}
{{- $name := $last -}}
{{- $tag := $d.defaultTag -}}
{{- if contains ":" $last -}}
{{- $name = regexReplaceAll ":.*$" $last "" -}}
{{- $tag = regexReplaceAll "^[^:]*:" $last "" -}}
{{- end -}}
{{- $ns := $d.defaultNamespace -}}
{{- $host := $d.defaultHost -}}
{{- if ge $n 2 -}}{{- $ns = index $segs (sub $n 2) -}}{{- end -}}
{{- if ge $n 3 -}}{{- $host = index $segs (sub $n 3) -}}{{- end -}}
{{- $name = lower $name -}}{{- $tag = lower $tag -}}{{- $ns = lower $ns -}}{{- $host = lower $host -}}
{{- $prefix := "" -}}
{{- if ne $host $d.defaultHost -}}
{{- $prefix = printf "%s/%s/" $host $ns -}}
{{- else if ne $ns $d.defaultNamespace -}}
{{- $prefix = printf "%s/" $ns -}}
{{- end -}}
{{- toJson (dict "name" (printf "%s%s:%s" $prefix $name $tag) "digest" $digest "host" $host) -}}
{{- end -}}

{{- /*
The models of the leaf: {"pull": [{name, digest}] (model, additionalModels, and the base
of each custom model, in that order), "custom": [{name, from, file, request, modelfile}],
"load": [name]} (the models kept in memory: every declared model but those in
modelLoading.notLoaded; of the models on one base's weights only one, the first custom model
made from it, since Ollama runs one set of weights at a time with one set of options).
*/ -}}
{{- define "ollama.models" -}}
{{- $leaf := .leaf -}}
{{- $pull := list -}}
{{- range prepend ($leaf.additionalModels | default list) $leaf.model -}}
{{- $pull = append $pull (include "ollama.ref" (dict "root" $.root "ref" .) | fromJson) -}}
{{- end -}}
{{- $custom := list -}}
{{- range $i, $m := $leaf.customModels | default list -}}
{{- $from := include "ollama.ref" (dict "root" $.root "ref" $m.from) | fromJson -}}
{{- $pull = append $pull $from -}}
{{- $name := (include "ollama.ref" (dict "root" $.root "ref" $m.name) | fromJson).name -}}
{{- $request := dict "model" $name "from" $from.name "stream" true -}}
{{- if hasKey $m "system" -}}{{- $_ := set $request "system" $m.system -}}{{- end -}}
{{- with $m.parameters -}}{{- $_ := set $request "parameters" . -}}{{- end -}}
{{- $mf := list (printf "FROM %s" $from.name) -}}
{{- if hasKey $m "system" -}}{{- $mf = append $mf (printf "SYSTEM \"\"\"%s\"\"\"" $m.system) -}}{{- end -}}
{{- range $k, $v := $m.parameters | default dict -}}
{{- range (kindIs "slice" $v | ternary $v (list $v)) -}}
{{- $mf = append $mf (printf "PARAMETER %s %s" $k (kindIs "string" . | ternary (printf "%q" .) (toJson .))) -}}
{{- end -}}
{{- end -}}
{{- $custom = append $custom (dict "name" $name "from" $from.name "file" (printf "custom-%d.json" (add1 $i)) "modelfile" (printf "custom-%d.Modelfile" (add1 $i)) "request" $request "modelfileText" (join "\n" $mf)) -}}
{{- end -}}
{{- $skip := dict -}}
{{- range ($leaf.modelLoading | default dict).notLoaded | default list -}}
{{- $_ := set $skip (include "ollama.ref" (dict "root" $.root "ref" .) | fromJson).name true -}}
{{- end -}}
{{- $bases := dict -}}
{{- range $custom -}}
{{- if and (not (hasKey $skip .name)) (not (hasKey $bases .from)) -}}{{- $_ := set $bases .from .name -}}{{- end -}}
{{- end -}}
{{- $load := list -}}
{{- range prepend ($leaf.additionalModels | default list) $leaf.model -}}
{{- $name := (include "ollama.ref" (dict "root" $.root "ref" .) | fromJson).name -}}
{{- if not (or (hasKey $skip $name) (hasKey $bases $name)) -}}{{- $load = append $load $name -}}{{- end -}}
{{- end -}}
{{- range $custom -}}
{{- if eq (get $bases .from) .name -}}{{- $load = append $load .name -}}{{- end -}}
{{- end -}}
{{- toJson (dict "pull" $pull "custom" $custom "load" $load) -}}
{{- end -}}

{{- define "ollama.configName" -}}
{{- printf "%s-ollama" .leaf.serviceName -}}
{{- end -}}

{{- /* The ConfigMap the init container and the probes read (see files/ollama-models.sh). */ -}}
{{- define "ollama.configMap" -}}
{{- $models := include "ollama.models" . | fromJson -}}
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "workload-lib.metadata" (dict "ctx" . "name" (include "ollama.configName" .)) | nindent 2 }}
data:
  ollama-models.sh: |
    {{- .root.Files.Get "files/ollama-models.sh" | nindent 4 }}
  models: |
    {{- range $models.pull }}
    {{ .name }} {{ .digest | default "-" }}
    {{- end }}
  custom-models: |
    {{- range $models.custom }}
    {{ .name }} {{ .file }}
    {{- end }}
  load: |
    {{- range $models.load }}
    {{ . }}
    {{- end }}
  {{- range $models.custom }}
  {{ .file }}: {{ toJson .request | toJson }}
  {{ .modelfile }}: {{ .modelfileText | toJson }}
  {{- end }}
{{- end -}}
