import { useEffect, useState } from 'react';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';

export interface YamlPreviewProps {
  /** The leaf as YAML (printLeaf). */
  yaml: string;
  /** Where the leaf goes in the catalog repo, when known. */
  title?: string;
  /** A one-line state shown above the YAML ("Valid leaf", "2 problems"). */
  status?: { ok: boolean; text: string };
}

type CopyState = 'idle' | 'copied' | 'failed';

/** The leaf the form stands for, as it will appear in the pull request, with a copy button. */
export function YamlPreview({
  yaml,
  title = 'Catalog leaf (YAML)',
  status,
}: YamlPreviewProps) {
  const [copy, setCopy] = useState<CopyState>('idle');
  useEffect(() => {
    if (copy === 'idle') return undefined;
    const t = setTimeout(() => setCopy('idle'), 2000);
    return () => clearTimeout(t);
  }, [copy]);
  const onCopy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(yaml);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  const tips: Record<CopyState, string> = {
    idle: '',
    copied: 'Copied',
    failed: 'Copy failed: select the text instead',
  };
  const tip = tips[copy];
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label="YAML preview"
      sx={{ p: 2 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="subtitle1" component="h3" sx={{ flex: 1 }}>
          {title}
        </Typography>
        {copy !== 'idle' && (
          <Typography
            variant="caption"
            role="status"
            color={copy === 'copied' ? 'success.main' : 'error'}
          >
            {tip}
          </Typography>
        )}
        <Tooltip title="Copy YAML">
          <IconButton aria-label="Copy YAML" onClick={onCopy} size="small">
            <ContentCopyIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      </Box>
      {status && (
        <Typography
          variant="body2"
          role="status"
          data-testid="leaf-status"
          sx={{ color: status.ok ? 'success.main' : 'warning.main', mb: 1 }}
        >
          {status.text}
        </Typography>
      )}
      <Box
        component="pre"
        data-testid="yaml-preview"
        sx={{
          m: 0,
          p: 1.5,
          overflowX: 'auto',
          fontFamily: 'monospace',
          fontSize: '0.85rem',
          lineHeight: 1.5,
          bgcolor: 'action.hover',
          borderRadius: 1,
          whiteSpace: 'pre',
        }}
      >
        {yaml}
      </Box>
    </Paper>
  );
}
