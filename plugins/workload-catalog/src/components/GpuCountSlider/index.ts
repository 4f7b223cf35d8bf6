export {
  GpuCountSlider,
  gpuMarks,
  type GpuCountSliderProps,
} from './GpuCountSlider';
