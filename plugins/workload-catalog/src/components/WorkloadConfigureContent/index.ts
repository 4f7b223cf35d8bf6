export {
  WorkloadConfigureContent,
  type WorkloadConfigureContentProps,
} from './WorkloadConfigureContent';
