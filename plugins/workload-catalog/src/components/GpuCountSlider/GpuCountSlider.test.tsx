import { fireEvent, render, screen } from '@testing-library/react';
import { GpuCountSlider, gpuMarks } from './GpuCountSlider';

const slider = () => screen.getByRole('slider', { name: 'GPUs' });

describe('GpuCountSlider', () => {
  it('shows the default from the schema while no count is chosen, bounded by the maximum', () => {
    render(
      <GpuCountSlider
        id="gpu"
        label="GPUs"
        defaultValue={1}
        max={4}
        onChange={jest.fn()}
      />,
    );
    expect(slider()).toHaveAttribute('aria-valuenow', '1');
    expect(slider()).toHaveAttribute('aria-valuemin', '0');
    expect(slider()).toHaveAttribute('aria-valuemax', '4');
    expect(slider()).toHaveAttribute('aria-valuetext', '1 GPU');
    expect(screen.getByTestId('gpu-value')).toHaveTextContent('1 GPU');
    expect(
      screen.getByText("Per replica, 0 to 4 (the platform's maximum)."),
    ).toBeInTheDocument();
  });

  it('reports a new count', () => {
    const onChange = jest.fn();
    render(
      <GpuCountSlider
        id="gpu"
        label="GPUs"
        value={1}
        max={8}
        onChange={onChange}
      />,
    );
    fireEvent.change(slider(), { target: { value: 4 } });
    expect(onChange).toHaveBeenCalledWith(4);
  });

  it('never goes past the schema limit of 16, and shows 0 as CPU only', () => {
    render(
      <GpuCountSlider
        id="gpu"
        label="GPUs"
        value={0}
        max={64}
        onChange={jest.fn()}
      />,
    );
    expect(slider()).toHaveAttribute('aria-valuemax', '16');
    expect(slider()).toHaveAttribute('aria-valuetext', '0 GPUs (CPU only)');
    expect(screen.getByTestId('gpu-value')).toHaveTextContent('CPU only');
  });

  it('is disabled on a platform without GPUs', () => {
    render(
      <GpuCountSlider id="gpu" label="GPUs" max={0} onChange={jest.fn()} />,
    );
    expect(slider()).toBeDisabled();
    expect(
      screen.getByText(/This platform offers no GPUs/),
    ).toBeInTheDocument();
  });

  it('points out a count below what the chosen model needs, and shows errors', () => {
    render(
      <GpuCountSlider
        id="gpu"
        label="GPUs"
        value={1}
        max={8}
        recommended={2}
        errors={['too many']}
        onChange={jest.fn()}
      />,
    );
    expect(
      screen.getByText(
        /The chosen model needs about 2 GPUs to fit in GPU memory/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('too many')).toBeInTheDocument();
  });

  it('labels every mark up to 8 and every 4th above', () => {
    expect(gpuMarks(0, 4).map(m => m.label)).toEqual(['0', '1', '2', '3', '4']);
    expect(
      gpuMarks(0, 16)
        .filter(m => m.label)
        .map(m => m.value),
    ).toEqual([0, 4, 8, 12, 16]);
  });
});
