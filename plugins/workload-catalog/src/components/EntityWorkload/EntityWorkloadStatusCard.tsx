/*
 * The entity card: the deployment status of the entity's workload, refreshed every 10 s
 * and on request.
 */
import { useEntity } from '@backstage/plugin-catalog-react';
import { WorkloadStatusCard } from '../WorkloadStatusCard';
import { useWorkloadStatus } from './useWorkloadStatus';

export interface EntityWorkloadStatusCardProps {
  /** Time between two reads, in milliseconds (default 10000; 0: only on request). */
  pollIntervalMs?: number;
}

export function EntityWorkloadStatusCard(props: EntityWorkloadStatusCardProps) {
  const { entity } = useEntity();
  const { status, error, loading, refresh } = useWorkloadStatus(
    entity,
    props.pollIntervalMs,
  );
  return (
    <WorkloadStatusCard
      status={status}
      error={error}
      loading={loading}
      onRefresh={refresh}
    />
  );
}
