export {
  WorkloadStatusCard,
  WorkloadStatusSummary,
  type WorkloadStatusCardProps,
} from './WorkloadStatusCard';
export {
  WorkloadStatusTimeline,
  type WorkloadStatusTimelineProps,
} from './WorkloadStatusTimeline';
export { formatTime, formatAgo } from './format';
