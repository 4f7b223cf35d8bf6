export {
  EntityWorkloadStatusCard,
  type EntityWorkloadStatusCardProps,
} from './EntityWorkloadStatusCard';
export { EntityWorkloadConfigureContent } from './EntityWorkloadConfigureContent';
export { isWorkloadEntity } from './isWorkloadEntity';
export { useWorkloadStatus, STATUS_POLL_MS } from './useWorkloadStatus';
