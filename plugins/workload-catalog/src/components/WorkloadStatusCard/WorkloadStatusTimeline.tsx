/*
 * The timeline of a workload: pull request opened, reviewed, merged, Argo CD synced,
 * healthy, model pulled, ready. Each step shows its state (icon and text for screen
 * readers), when it was reached, a link, and the message when it is waiting or failed.
 */
import Autorenew from '@mui/icons-material/Autorenew';
import CheckCircle from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
import HelpOutline from '@mui/icons-material/HelpOutline';
import RadioButtonUnchecked from '@mui/icons-material/RadioButtonUnchecked';
import RemoveCircleOutline from '@mui/icons-material/RemoveCircleOutline';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type {
  TimelineStep,
  TimelineStepState,
} from '@workload-catalog/plugin-workload-catalog-common';
import { formatAgo, formatTime } from './format';

const STATE_TEXT: Record<TimelineStepState, string> = {
  done: 'done',
  active: 'in progress',
  pending: 'waiting',
  failed: 'failed',
  unknown: 'unknown',
  skipped: 'skipped',
};

function StateIcon({ state }: { state: TimelineStepState }) {
  const common = { fontSize: 'small' as const, 'aria-hidden': true };
  switch (state) {
    case 'done':
      return <CheckCircle {...common} color="success" />;
    case 'active':
      return <Autorenew {...common} color="info" />;
    case 'failed':
      return <ErrorIcon {...common} color="error" />;
    case 'unknown':
      return <HelpOutline {...common} color="warning" />;
    case 'skipped':
      return <RemoveCircleOutline {...common} color="disabled" />;
    default:
      return <RadioButtonUnchecked {...common} color="disabled" />;
  }
}

export interface WorkloadStatusTimelineProps {
  steps: TimelineStep[];
  /** "Now" for the "… ago" texts (default Date.now()). */
  now?: number;
}

export function WorkloadStatusTimeline(props: WorkloadStatusTimelineProps) {
  const now = props.now ?? Date.now();
  return (
    <Box
      component="ol"
      aria-label="Deployment timeline"
      sx={{ listStyle: 'none', m: 0, p: 0 }}
    >
      {props.steps.map((step, i) => {
        const last = i === props.steps.length - 1;
        const ago = step.at ? formatAgo(step.at, now) : undefined;
        return (
          <Box
            component="li"
            key={step.id}
            data-testid={`step-${step.id}`}
            data-state={step.state}
            aria-label={`${step.label}: ${STATE_TEXT[step.state]}`}
            sx={{
              display: 'flex',
              gap: 1.5,
              position: 'relative',
              pb: last ? 0 : 1.5,
            }}
          >
            <Box
              sx={{
                display: 'flex',
                flexDirection: 'column',
                alignItems: 'center',
                pt: '2px',
              }}
            >
              <StateIcon state={step.state} />
              {!last && (
                <Box
                  aria-hidden
                  sx={{ flex: 1, width: '2px', mt: 0.5, bgcolor: 'divider' }}
                />
              )}
            </Box>
            <Box sx={{ flex: 1, minWidth: 0 }}>
              <Typography
                variant="body2"
                sx={{
                  fontWeight:
                    step.state === 'active' || step.state === 'failed'
                      ? 600
                      : 400,
                  color:
                    step.state === 'pending' || step.state === 'skipped'
                      ? 'text.secondary'
                      : 'text.primary',
                }}
              >
                {step.label}
                <Box
                  component="span"
                  sx={{ color: 'text.secondary', fontWeight: 400 }}
                >
                  {' '}
                  ({STATE_TEXT[step.state]})
                </Box>
                {step.link && (
                  <>
                    {' · '}
                    <Link
                      href={step.link.url}
                      target="_blank"
                      rel="noopener noreferrer"
                    >
                      {step.link.title}
                    </Link>
                  </>
                )}
              </Typography>
              {step.at && (
                <Typography
                  variant="caption"
                  color="text.secondary"
                  component="div"
                >
                  <time dateTime={step.at} title={step.at}>
                    {formatTime(step.at)}
                  </time>
                  {ago ? ` · ${ago}` : ''}
                </Typography>
              )}
              {step.message && (
                <Typography
                  variant="body2"
                  component="div"
                  role={step.state === 'failed' ? 'alert' : undefined}
                  color={step.state === 'failed' ? 'error' : 'text.secondary'}
                  sx={{ overflowWrap: 'anywhere' }}
                >
                  {step.message}
                </Typography>
              )}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
