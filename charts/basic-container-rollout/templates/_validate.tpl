{{- /* rollout.canary.steps: a weight never lower than an earlier one (zod refinement). */ -}}
{{- define "rollout.validate" -}}
{{- $last := 0 -}}
{{- with .leaf.rollout.canary -}}
{{- range $i, $step := .steps -}}
{{- if hasKey $step "setWeight" -}}
{{- if lt (int $step.setWeight) $last -}}
{{- fail (printf "rollout.canary.steps.%d.setWeight: must not be lower than the weight of an earlier step (%d)" $i $last) -}}
{{- end -}}
{{- $last = max $last (int $step.setWeight) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
