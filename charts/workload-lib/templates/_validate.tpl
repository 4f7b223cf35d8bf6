{{- /*
Leaf rules that JSON Schema cannot express (the zod refinements of the leaf schema), checked
at render time so that Helm rejects what the CLI rejects. The schema check
(values.schema.json) has already passed when these run. Messages follow the CLI's
"FIELD.PATH: message". Rules only one side checks are listed in charts/README.md.
Takes $ctx.
*/ -}}
{{- define "workload-lib.validate" -}}
{{- $leaf := .leaf -}}
{{- $c := $leaf.container | default dict -}}
{{- /* container.resources: units and limits >= requests */ -}}
{{- with $c.resources -}}
{{- range $side := list "requests" "limits" -}}
{{- $amounts := get $.leaf.container.resources $side | default dict -}}
{{- if and (hasKey $amounts "memory") (regexMatch "^[0-9.]+m$" (toString $amounts.memory)) -}}
{{- $n := trimSuffix "m" (toString $amounts.memory) -}}
{{- fail (printf "container.resources.%s.memory: %q is %s thousandths of a byte (\"m\" means milli); write \"%sMi\" for mebibytes" $side (toString $amounts.memory) $n $n) -}}
{{- end -}}
{{- if and (hasKey $amounts "cpu") (regexMatch "[KMGTPE]i$" (toString $amounts.cpu)) -}}
{{- fail (printf "container.resources.%s.cpu: CPU is counted in cores (\"2\") or millicores (\"500m\"), not bytes; got %q" $side (toString $amounts.cpu)) -}}
{{- end -}}
{{- end -}}
{{- range $r := list "cpu" "memory" -}}
{{- $reqs := $.leaf.container.resources.requests | default dict -}}
{{- $lims := $.leaf.container.resources.limits | default dict -}}
{{- if and (hasKey $reqs $r) (hasKey $lims $r) -}}
{{- $req := get $reqs $r -}}
{{- $lim := get $lims $r -}}
{{- if lt (include "workload-lib.quantityValue" $lim | float64) (include "workload-lib.quantityValue" $req | float64) -}}
{{- fail (printf "container.resources.limits.%s: must be at least the request (%s); got %s" $r (include "workload-lib.describe" $req) (include "workload-lib.describe" $lim)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* container.environment written as a list: each name once (.leaf holds the mapping) */ -}}
{{- $rawEnv := (.root.Values.container | default dict).environment -}}
{{- if kindIs "slice" $rawEnv -}}
{{- $first := dict -}}
{{- range $i, $e := $rawEnv -}}
{{- if hasKey $first $e.name -}}
{{- fail (printf "container.environment.%d.name: %q is already set at container.environment.%d; each variable once" $i $e.name (get $first $e.name)) -}}
{{- end -}}
{{- $_ := set $first $e.name $i -}}
{{- end -}}
{{- end -}}
{{- /* container.secrets: each name once, and not also a plain variable */ -}}
{{- $seen := dict -}}
{{- range $i, $s := $c.secrets | default list -}}
{{- if hasKey ($c.environment | default dict) $s.name -}}
{{- fail (printf "container.secrets.%d.name: %q is also set in container.environment; keep one" $i $s.name) -}}
{{- end -}}
{{- if hasKey $seen $s.name -}}
{{- fail (printf "container.secrets.%d.name: %q is listed twice" $i $s.name) -}}
{{- end -}}
{{- $_ := set $seen $s.name true -}}
{{- end -}}
{{- /* ingress.path and ingress.paths of an inference server (in _network.tpl) */ -}}
{{- include "workload-lib.validateExposure" . -}}
{{- /* gpu.count: the platform's maximum (the CLI's policy, default 8) */ -}}
{{- if and $leaf.gpu .platform.gpu -}}
{{- if gt (int $leaf.gpu.count) (int .platform.gpu.maxCount) -}}
{{- fail (printf "gpu.count: must be at most %d (the platform's GPU maximum per replica); got %d" (int .platform.gpu.maxCount) (int $leaf.gpu.count)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* A quantity's value in base units (cores, bytes), as parseQuantity computes it. */ -}}
{{- define "workload-lib.quantityValue" -}}
{{- if kindIs "string" . -}}
{{- $num := regexReplaceAll "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(.*)$" . "${1}" -}}
{{- $suffix := regexReplaceAll "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)" . "" -}}
{{- if regexMatch "^[eE][-+]?[0-9]+$" $suffix -}}
{{- float64 . -}}
{{- else -}}
{{- $mult := dict "" 1.0 "n" 1e-9 "u" 1e-6 "m" 1e-3 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 -}}
{{- mulf (float64 $num) (get $mult $suffix) -}}
{{- end -}}
{{- else -}}
{{- float64 . -}}
{{- end -}}
{{- end -}}

{{- /* A value the way the CLI's describeValue shows it: strings quoted, numbers bare. */ -}}
{{- define "workload-lib.describe" -}}
{{- if kindIs "string" . -}}{{- printf "%q" . -}}{{- else -}}{{- include "workload-lib.envString" . -}}{{- end -}}
{{- end -}}
