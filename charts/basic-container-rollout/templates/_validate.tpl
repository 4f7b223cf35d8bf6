{{- /* rollout.canary.steps: a weight never lower than an earlier one (zod refinement). */ -}}
{{- define "rollout.validate" -}}
{{- end -}}
