{{- /*
The leaf: the chart's values without `platform` (and the key Helm adds for this library),
with the zod defaults of its workload type applied (from _generated.tpl), and
container.environment as a mapping whichever form the leaf writes it in (the list's names
are checked in "workload-lib.validate"). Helm has already checked the values against
values.schema.json, which is the leaf's own schema.

Usage: {{- $leaf := include "workload-lib.leaf" . | fromJson }}
Numbers come back as float64: use `int` where a whole number is needed.
*/ -}}
{{- define "workload-lib.leaf" -}}
{{- $values := deepCopy .Values -}}
{{- $_ := unset $values "platform" -}}
{{- $_ := unset $values "workload-lib" -}}
{{- $specs := include "workload-lib.generated.defaults" . | fromJson -}}
{{- $_ := include "workload-lib.applyDefaults" (dict "value" $values "spec" (get $specs (toString $values.workloadType))) -}}
{{- /* container.environment in its normal form, the mapping (as the CLI's parsed leaf): a list of {name, value} becomes NAME: value */ -}}
{{- $c := $values.container -}}
{{- if and (kindIs "map" $c) (kindIs "slice" $c.environment) -}}
{{- $env := dict -}}
{{- range $c.environment -}}{{- $_ := set $env .name .value -}}{{- end -}}
{{- $_ := set $c "environment" $env -}}
{{- end -}}
{{- toJson $values -}}
{{- end -}}

{{- /* Sets missing keys to their defaults, in place, walking the spec tree ({d, p, i}). */ -}}
{{- define "workload-lib.applyDefaults" -}}
{{- $v := .value -}}
{{- $s := .spec | default dict -}}
{{- if and (kindIs "map" $v) (hasKey $s "p") -}}
{{- range $k, $child := $s.p -}}
{{- if and (not (hasKey $v $k)) (hasKey $child "d") -}}
{{- $_ := set $v $k (deepCopy $child.d) -}}
{{- end -}}
{{- if hasKey $v $k -}}
{{- $_ := include "workload-lib.applyDefaults" (dict "value" (get $v $k) "spec" $child) -}}
{{- end -}}
{{- end -}}
{{- else if and (kindIs "slice" $v) (hasKey $s "i") -}}
{{- range $v -}}
{{- $_ := include "workload-lib.applyDefaults" (dict "value" . "spec" $s.i) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /*
The render context every template of the library takes: the root context, the leaf and the
platform values. Usage: {{- $ctx := include "workload-lib.context" . | fromJson }} is not
possible (the root context cannot be serialised), so charts build it with:
  {{- $ctx := dict "root" . "leaf" (include "workload-lib.leaf" . | fromJson) "platform" .Values.platform }}
*/ -}}
