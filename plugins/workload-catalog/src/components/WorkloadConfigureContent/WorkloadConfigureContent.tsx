/*
 * The "Configure" tab of a workload: the same form as the templates, filled with the leaf as
 * it is in the catalog repo. Saving opens an update pull request (the backend runs the
 * scaffolder's workload:catalog:pull-request for it); the status card then follows that
 * pull request. Only the fields that do not name the workload can change: its type,
 * service name, catalog and environment stay.
 */
import { useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import {
  isWorkloadType,
  printLeaf,
  validateLeaf,
  type LeafPolicy,
  type WorkloadConfigurationCurrent,
  type WorkloadConfigurationResponse,
} from '@workload-catalog/plugin-workload-catalog-common';
import { describeError } from '../../lib/describeError';
import { WorkloadConfigForm } from '../WorkloadConfigForm';
import { withEnvironmentMapping } from '../../lib/environmentMapping';

type Json = Record<string, any>;

/** The leaf as it would be committed, or undefined when it is not valid. */
function committed(leaf: unknown, policy?: LeafPolicy): string | undefined {
  const result = validateLeaf(leaf, policy ?? {});
  return result.valid ? printLeaf(result.leaf) : undefined;
}

export interface WorkloadConfigureContentProps {
  current?: WorkloadConfigurationCurrent;
  loading?: boolean;
  /** Loading the current leaf failed. */
  error?: Error;
  /** Opens the update pull request; rejects with the backend's message. */
  onSave(leaf: Record<string, any>): Promise<WorkloadConfigurationResponse>;
  /** Called after a pull request was opened (e.g. to refresh the status). */
  onSaved?(result: WorkloadConfigurationResponse): void;
  /** The platform policy (asked from the backend by the form when not given). */
  policy?: LeafPolicy;
}

export function WorkloadConfigureContent(props: WorkloadConfigureContentProps) {
  const { current } = props;
  const [draft, setDraft] = useState<Json | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<WorkloadConfigurationResponse>();
  const [saveError, setSaveError] = useState<Error>();

  // The form edits container.environment as a mapping; a list-form leaf is shown as one.
  const initial = useMemo(
    () => withEnvironmentMapping((current?.leaf ?? {}) as Json) as Json,
    [current],
  );
  const type = isWorkloadType(initial.workloadType)
    ? initial.workloadType
    : undefined;
  const before = useMemo(
    () => (current ? committed(current.leaf, props.policy) : undefined),
    [current, props.policy],
  );
  const after = draft ? committed(draft, props.policy) : before;
  const blocked = !current?.canEdit || !!current?.openPullRequest;
  const unchanged = after !== undefined && after === before;
  const canSave =
    !!draft &&
    !blocked &&
    !saving &&
    !saved &&
    after !== undefined &&
    !unchanged;

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const result = await props.onSave(draft);
      setSaved(result);
      props.onSaved?.(result);
    } catch (e) {
      setSaveError(e as Error);
    } finally {
      setSaving(false);
    }
  };

  if (props.loading)
    return <LinearProgress aria-label="Loading the configuration" />;
  if (props.error || !current) {
    return (
      <Alert severity="error">
        <AlertTitle>The configuration could not be loaded</AlertTitle>
        {props.error ? describeError(props.error) : 'No configuration'}
      </Alert>
    );
  }

  let hint: string;
  if (saved) hint = 'The pull request is open; merge it to deploy the change.';
  else if (after === undefined)
    hint = 'Correct the problems in the form first.';
  else if (unchanged) hint = 'Change a field to propose an update.';
  else hint = 'Opens a pull request in the catalog repo with the changed leaf.';

  return (
    <Box component="section" aria-label="Configure the workload">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {current.leafPath} on <code>{current.ref}</code>. Saving opens a pull
        request; the change is deployed when it is merged.
      </Typography>
      {!current.canEdit && (
        <Alert severity="info" sx={{ mb: 2 }}>
          You may see this configuration but not change it (permission
          workload-catalog.configuration.update).
        </Alert>
      )}
      {current.openPullRequest && (
        <Alert severity="info" sx={{ mb: 2 }}>
          A pull request for this workload is open:{' '}
          <Link
            href={current.openPullRequest.url}
            target="_blank"
            rel="noopener noreferrer"
          >
            #{current.openPullRequest.number}
          </Link>
          . Review it, merge or close it before proposing another change.
        </Alert>
      )}
      <WorkloadConfigForm
        value={draft ?? initial}
        onChange={setDraft}
        workloadTypes={type ? [type] : undefined}
        disabled={blocked || saving || !!saved}
        policy={props.policy}
        showAllErrors
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 2 }}>
        <Button variant="contained" onClick={save} disabled={!canSave}>
          {saving ? 'Opening the pull request…' : 'Open update pull request'}
        </Button>
        <Typography variant="body2" color="text.secondary">
          {hint}
        </Typography>
      </Box>
      {saving && (
        <LinearProgress sx={{ mt: 1 }} aria-label="Opening the pull request" />
      )}
      {saved && (
        <Alert severity="success" sx={{ mt: 2 }} role="status">
          <AlertTitle>
            Pull request #{saved.pullRequestNumber} opened
          </AlertTitle>
          <Link
            href={saved.pullRequestUrl}
            target="_blank"
            rel="noopener noreferrer"
          >
            {saved.title}
          </Link>
        </Alert>
      )}
      {saveError && (
        <Alert severity="error" sx={{ mt: 2 }}>
          <AlertTitle>The pull request was not opened</AlertTitle>
          <Box component="span" sx={{ whiteSpace: 'pre-wrap' }}>
            {describeError(saveError)}
          </Box>
        </Alert>
      )}
    </Box>
  );
}
