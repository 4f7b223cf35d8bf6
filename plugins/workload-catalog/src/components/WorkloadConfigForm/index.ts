export {
  WorkloadConfigForm,
  type WorkloadConfigFormProps,
} from './WorkloadConfigForm';
export type { WorkloadFormContext } from './context';
