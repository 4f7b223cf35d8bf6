import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { WorkloadStatusResponse } from '@workload-catalog/plugin-workload-catalog-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { workloadCatalogApiRef } from '../../api';
import { workloadRefOf } from './isWorkloadEntity';

/** Default time between two reads of the status (the backend caches each source briefly). */
export const STATUS_POLL_MS = 10_000;

/**
 * The status of the entity's workload, read at once, every `pollMs`, and on `refresh()`.
 * A failed poll keeps the last status and shows the error.
 */
export function useWorkloadStatus(entity: Entity, pollMs = STATUS_POLL_MS) {
  const api = useApi(workloadCatalogApiRef);
  const [status, setStatus] = useState<WorkloadStatusResponse>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const ref = workloadRefOf(entity);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;
  const live = useRef(true);
  const latest = useRef(0);

  const load = useCallback(
    async (showLoading: boolean) => {
      const call = ++latest.current;
      if (showLoading) setLoading(true);
      try {
        const next = await api.getWorkloadStatus(ref);
        if (!live.current || call !== latest.current) return;
        setStatus(next);
        setError(undefined);
      } catch (e) {
        if (!live.current || call !== latest.current) return;
        setError(e as Error);
      } finally {
        if (live.current && call === latest.current) setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );

  useEffect(() => {
    live.current = true;
    load(true);
    const timer =
      pollMs > 0 ? setInterval(() => load(false), pollMs) : undefined;
    return () => {
      live.current = false;
      if (timer) clearInterval(timer);
    };
  }, [load, pollMs]);

  const refresh = useCallback(() => load(true), [load]);
  return { status, error, loading, refresh };
}
