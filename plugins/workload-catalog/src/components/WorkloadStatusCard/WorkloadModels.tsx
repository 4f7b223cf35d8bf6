/*
 * The declared models on the workload's model server, one row each: pulled (on the model
 * volume, /api/tags) and loaded (in memory, /api/ps, with when it leaves memory). The chart
 * makes a pod ready only once its models are loaded, so "pulled, not loaded" is a pod that
 * is still loading (or a model the leaf keeps on disk only).
 */
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { ModelStatus } from '@workload-catalog/plugin-workload-catalog-common';
import { formatTime } from './format';

/** Ollama's "forever" (a negative keep_alive) is an expiry centuries away. */
const FOREVER_AFTER_MS = 100 * 365 * 86_400_000;

/** "kept in memory", "until 27 Nov 2026, 10:05 UTC", or "" when the expiry is unknown. */
export function describeExpiry(expiresAt: string | undefined, now: number) {
  if (!expiresAt) return '';
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return '';
  if (t - now > FOREVER_AFTER_MS) return 'kept in memory';
  return `until ${formatTime(expiresAt)}`;
}

export function WorkloadModels(props: {
  models: ModelStatus[];
  /** "Now" for the expiry (tests). */
  now?: number;
}) {
  const now = props.now ?? Date.now();
  if (props.models.length === 0) return null;
  return (
    <Box
      component="ul"
      aria-label="Models"
      sx={{ listStyle: 'none', p: 0, mt: 0, mb: 2 }}
    >
      {props.models.map(m => {
        const expiry = m.loaded ? describeExpiry(m.expiresAt, now) : '';
        return (
          <Box
            component="li"
            key={m.ref}
            data-testid="workload-model"
            data-model={m.ref}
            data-pulled={m.pulled}
            data-loaded={m.loaded}
            sx={{
              display: 'flex',
              flexWrap: 'wrap',
              alignItems: 'center',
              gap: 1,
              py: 0.5,
            }}
          >
            <Typography
              variant="body2"
              component="code"
              sx={{ overflowWrap: 'anywhere' }}
            >
              {m.ref}
            </Typography>
            <Chip
              size="small"
              variant="outlined"
              color={m.pulled ? 'success' : 'default'}
              label={m.pulled ? 'pulled' : 'not pulled'}
            />
            <Chip
              size="small"
              variant="outlined"
              color={m.loaded ? 'success' : 'default'}
              label={m.loaded ? 'loaded' : 'not loaded'}
            />
            {expiry && (
              <Typography variant="caption" color="text.secondary">
                {expiry}
              </Typography>
            )}
          </Box>
        );
      })}
    </Box>
  );
}
