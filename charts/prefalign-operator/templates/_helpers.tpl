{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "prefalign-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "prefalign-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "prefalign-operator.labels" -}}
{{ include "prefalign-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: prefalign
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "prefalign-operator.serviceAccountName" -}}
{{- default (include "prefalign-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/*
What the operator does to jobs, their children and their Pods (read from its code): it never deletes a child (they go
with the resource through owner references), only creates the claim and the ConfigMap, and patches a Job only to pass
spec.suspend on. No Secrets: the trainer Job references them through secretKeyRef, which needs no operator rights.
*/}}
{{- define "prefalign-operator.jobRules" -}}
- apiGroups: ["prefalign.dev"]
  resources: ["preferencealignmentjobs"]
  # create: an experiment creates one job per run. delete: spec.runPolicy.ttlSecondsAfterFinished deletes finished
  # resources.
  verbs: ["create", "get", "list", "watch", "patch", "update", "delete"]
- apiGroups: ["prefalign.dev"]
  resources: ["preferencealignmentexperiments"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["prefalign.dev"]
  resources: ["preferencealignmentjobs/status", "preferencealignmentexperiments/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["prefalign.dev"]
  # Children carry blockOwnerDeletion: true, which the OwnerReferencesPermissionEnforcement admission plugin only
  # allows to those who may update the owner's finalizers.
  resources: ["preferencealignmentjobs/finalizers", "preferencealignmentexperiments/finalizers"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["create", "get", "list", "watch", "patch", "update"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["create", "get", "list", "watch"]
- apiGroups: [""]
  # patch, update: the ConfigMap follows the spec until the trainer Job exists.
  resources: ["configmaps"]
  verbs: ["create", "get", "list", "watch", "patch", "update"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: ["kueue.x-k8s.io"]
  # Kueue's reason for holding a Job back, shown in the job's status.
  resources: ["workloads"]
  verbs: ["list"]
{{- end -}}

{{/* The trainer Pods, as the operator labels them. */}}
{{- define "prefalign-operator.trainerSelector" -}}
app.kubernetes.io/managed-by: prefalign-operator
app.kubernetes.io/component: trainer
{{- end -}}
