import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import {
  describeGpuFit,
  describeGpuMemory,
  type LeafGpuMemory,
} from '@workload-catalog/plugin-workload-catalog-common';

const gpus = (n: number) => `${n} GPU${n === 1 ? '' : 's'}`;

/**
 * The GPU-memory estimate of the leaf's models, line by line (weights, KV cache, overhead,
 * total) at the leaf's GPU count, and the fewest GPUs the models fit on.
 */
export function GpuMemoryBreakdown({ memory }: { memory: LeafGpuMemory }) {
  const { atLeafCount: at, smallest } = memory;
  const lines = describeGpuMemory(at);
  const vramDefault = at.models.some(m => m.contextFrom === 'vram-default');
  let advice: string | undefined;
  if (!smallest.fits) {
    advice = `The models do not fit on ${gpus(smallest.gpuCount)} (the most this estimate may use): lower the context (OLLAMA_CONTEXT_LENGTH), the parallel slots (OLLAMA_NUM_PARALLEL) or the models.`;
  } else if (smallest.gpuCount !== at.gpuCount || !at.fits) {
    advice = `The models ${describeGpuFit(smallest).replace(/^fits/, 'fit')}.`;
  }
  return (
    <Alert
      severity={at.fits ? 'info' : 'warning'}
      sx={{ mb: 2 }}
      data-testid="gpu-memory-breakdown"
    >
      <AlertTitle>
        GPU memory at {gpus(at.gpuCount)}: {describeGpuFit(at)}
      </AlertTitle>
      <Box component="ul" sx={{ m: 0, pl: 2 }}>
        {lines.map(line => (
          <li key={line}>{line}</li>
        ))}
      </Box>
      {advice && <Box sx={{ mt: 1 }}>{advice}</Box>}
      {vramDefault && (
        <Box sx={{ mt: 1 }}>
          Context length: Ollama&apos;s default for the GPUs&apos; memory (4096
          below 23 GiB, 32768 below 47 GiB, else 262144, never more than the
          model was trained for); set OLLAMA_CONTEXT_LENGTH to choose it.
        </Box>
      )}
    </Alert>
  );
}
