/*
 * The "Configure" tab: the workload form filled with the current leaf, and beside it the
 * status timeline, which shows the update pull request once it is opened.
 */
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import type { WorkloadConfigurationCurrent } from '@workload-catalog/plugin-workload-catalog-common';
import { useEffect, useState } from 'react';
import { workloadCatalogApiRef } from '../../api';
import { WorkloadConfigureContent } from '../WorkloadConfigureContent';
import { WorkloadStatusCard } from '../WorkloadStatusCard';
import { workloadRefOf } from './isWorkloadEntity';
import { useWorkloadStatus } from './useWorkloadStatus';

export function EntityWorkloadConfigureContent() {
  const { entity } = useEntity();
  const api = useApi(workloadCatalogApiRef);
  const [current, setCurrent] = useState<WorkloadConfigurationCurrent>();
  const [error, setError] = useState<Error>();
  const status = useWorkloadStatus(entity);
  const ref = workloadRefOf(entity);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;

  useEffect(() => {
    let live = true;
    setCurrent(undefined);
    setError(undefined);
    api.getWorkloadConfiguration(ref).then(
      c => live && setCurrent(c),
      e => live && setError(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={8}>
        <Box sx={{ p: 2, bgcolor: 'background.paper', borderRadius: 1 }}>
          <WorkloadConfigureContent
            current={current}
            loading={!current && !error}
            error={error}
            onSave={leaf => api.proposeWorkloadConfiguration(ref, leaf)}
            onSaved={() => status.refresh()}
          />
        </Box>
      </Grid>
      <Grid item xs={12} lg={4}>
        <WorkloadStatusCard
          status={status.status}
          error={status.error}
          loading={status.loading}
          onRefresh={status.refresh}
        />
      </Grid>
    </Grid>
  );
}
