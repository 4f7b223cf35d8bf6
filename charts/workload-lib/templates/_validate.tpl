{{- /* Leaf rules JSON Schema cannot express (the zod refinements), checked at render time. */ -}}
{{- define "workload-lib.validate" -}}
{{- end -}}
