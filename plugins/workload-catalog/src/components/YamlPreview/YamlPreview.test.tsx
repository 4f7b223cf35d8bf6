import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { YamlPreview } from './YamlPreview';

describe('YamlPreview', () => {
  const writeText = jest.fn();
  beforeEach(() => {
    writeText.mockReset();
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
  });

  it('shows the YAML and its state, and copies it', async () => {
    writeText.mockResolvedValue(undefined);
    render(
      <YamlPreview yaml={'a: 1\n'} status={{ ok: true, text: 'Valid leaf' }} />,
    );
    expect(screen.getByTestId('yaml-preview')).toHaveTextContent('a: 1');
    expect(screen.getByTestId('leaf-status')).toHaveTextContent('Valid leaf');
    await userEvent.click(screen.getByRole('button', { name: 'Copy YAML' }));
    expect(writeText).toHaveBeenCalledWith('a: 1\n');
    expect(await screen.findByText('Copied')).toBeInTheDocument();
  });

  it('says when copying failed', async () => {
    writeText.mockRejectedValue(new Error('denied'));
    render(<YamlPreview yaml="a: 1" />);
    await userEvent.click(screen.getByRole('button', { name: 'Copy YAML' }));
    expect(
      await screen.findByText('Copy failed: select the text instead'),
    ).toBeInTheDocument();
  });
});
