/*
 * The entity card of a workload: the one-line state ("PR open", "Ready", "Degraded: …"),
 * the timeline, which sources could not answer and why, and the leaf's problems when the
 * leaf in the repository is invalid. Presentational: the entity page extension feeds it.
 */
import Refresh from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type {
  ReplicaStatus,
  SourceStatus,
  WorkloadPhase,
  WorkloadStatusResponse,
} from '@workload-catalog/plugin-workload-catalog-common';
import { describeError } from '../../lib/describeError';
import { formatTime } from './format';
import { WorkloadModels } from './WorkloadModels';
import { WorkloadStatusTimeline } from './WorkloadStatusTimeline';

const PHASE_COLOR: Record<
  WorkloadPhase,
  'default' | 'info' | 'success' | 'warning' | 'error'
> = {
  'pr-open': 'info',
  'pr-closed': 'default',
  merged: 'info',
  deploying: 'info',
  ready: 'success',
  degraded: 'error',
  failed: 'error',
  unknown: 'warning',
};

const SOURCE_NAMES = {
  github: 'GitHub',
  argocd: 'Argo CD',
  ollama: 'Ollama',
  tgi: 'Text Generation Inference',
};

function sourceNotes(sources: WorkloadStatusResponse['sources']) {
  return (Object.keys(SOURCE_NAMES) as Array<keyof typeof SOURCE_NAMES>)
    .flatMap(key => {
      const source: SourceStatus | undefined = sources[key];
      return source ? [{ key, name: SOURCE_NAMES[key], source }] : [];
    })
    .filter(
      ({ source }) =>
        (source.state !== 'ok' && source.state !== 'not-applicable') ||
        source.message,
    );
}

/** The one-line state, coloured by phase: what users (and the e2e tests) look for first. */
export function WorkloadStatusSummary(props: {
  phase: WorkloadPhase;
  summary: string;
}) {
  const color = PHASE_COLOR[props.phase];
  return (
    <Box
      data-testid="workload-status-summary"
      data-phase={props.phase}
      sx={{
        display: 'inline-block',
        maxWidth: '100%',
        px: 1.5,
        py: 0.5,
        borderRadius: 2,
        typography: 'body2',
        fontWeight: 600,
        overflowWrap: 'anywhere',
        bgcolor: color === 'default' ? 'action.selected' : `${color}.main`,
        color: color === 'default' ? 'text.primary' : `${color}.contrastText`,
      }}
    >
      {props.summary}
    </Box>
  );
}

/** "2/3 ready, 3 running (Deployment ollama-phi)"; "scaled to zero" when it asks for none. */
export function describeReplicas(r: ReplicaStatus): string {
  const what = `${r.kind} ${r.name}`;
  if (r.desired === 0 && r.current === 0)
    return `scaled to zero (${what}): the next request starts a replica`;
  const running = r.current !== r.desired ? `, ${r.current} running` : '';
  return `${r.ready}/${r.desired} ready${running} (${what})`;
}

/** Current and desired replicas of the live workload. */
export function WorkloadReplicas(props: { replicas: ReplicaStatus }) {
  const r = props.replicas;
  return (
    <Typography
      variant="body2"
      data-testid="workload-replicas"
      data-ready={r.ready}
      data-desired={r.desired}
      sx={{ mb: 2 }}
    >
      Replicas: {describeReplicas(r)}
    </Typography>
  );
}

export interface WorkloadStatusCardProps {
  status?: WorkloadStatusResponse;
  loading?: boolean;
  /** Loading the status failed (the backend did not answer, or refused). */
  error?: Error;
  onRefresh?: () => void;
  title?: string;
  /** "Now" for the "… ago" texts (tests). */
  now?: number;
}

export function WorkloadStatusCard(props: WorkloadStatusCardProps) {
  const { status, loading, error } = props;
  const notes = status ? sourceNotes(status.sources) : [];
  return (
    <Card aria-label="Deployment status" component="section">
      <CardHeader
        title={props.title ?? 'Deployment status'}
        titleTypographyProps={{ variant: 'h6', component: 'h2' }}
        subheader={
          status ? `Checked ${formatTime(status.generatedAt)}` : undefined
        }
        action={
          props.onRefresh && (
            <IconButton
              aria-label="Refresh the status"
              onClick={props.onRefresh}
              disabled={loading}
            >
              <Refresh />
            </IconButton>
          )
        }
      />
      {loading && <LinearProgress aria-label="Loading the status" />}
      <CardContent>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            <AlertTitle>The status could not be loaded</AlertTitle>
            {describeError(error)}
          </Alert>
        )}
        {!status && !error && !loading && (
          <Typography color="text.secondary">No status yet.</Typography>
        )}
        {status && (
          <>
            <Box sx={{ mb: 2 }}>
              <WorkloadStatusSummary
                phase={status.phase}
                summary={status.summary}
              />
            </Box>
            {status.leafErrors && status.leafErrors.length > 0 && (
              <Alert severity="error" sx={{ mb: 2 }}>
                <AlertTitle>
                  The leaf {status.workload.leafPath} is not valid
                </AlertTitle>
                <Box component="ul" sx={{ m: 0, pl: 2 }}>
                  {status.leafErrors.map((e, i) => (
                    <li key={i}>
                      {e.line ? `line ${e.line}: ` : ''}
                      <code>{e.path}</code>: {e.message}
                    </li>
                  ))}
                </Box>
              </Alert>
            )}
            {status.replicas && <WorkloadReplicas replicas={status.replicas} />}
            {status.models && (
              <WorkloadModels models={status.models} now={props.now} />
            )}
            <WorkloadStatusTimeline steps={status.steps} now={props.now} />
            {notes.length > 0 && (
              <Box
                component="ul"
                aria-label="Status sources"
                sx={{ mt: 2, mb: 0, pl: 2, color: 'text.secondary' }}
              >
                {notes.map(({ key, name, source }) => (
                  <Typography component="li" variant="caption" key={key}>
                    {name}
                    {source.state !== 'ok' ? ` ${source.state}` : ''}
                    {source.message ? `: ${source.message}` : ''}
                  </Typography>
                ))}
              </Box>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
