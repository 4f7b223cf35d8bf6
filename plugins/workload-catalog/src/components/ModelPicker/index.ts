export { ModelPicker, type ModelPickerProps } from './ModelPicker';
export {
  describeNeeds,
  findSuggestion,
  formatSize,
  canonicalRef,
} from './describeModel';
