/**
 * The `workload-catalog` command line: `workload-catalog validate PATH...`.
 *
 * @packageDocumentation
 */
import { runValidate, VALIDATE_USAGE } from './commands/validate';
import type { Output } from './output';

export type { Output } from './output';
export { runValidate } from './commands/validate';

const USAGE = `usage: workload-catalog <command> [options]

commands:
  validate PATH...   check catalog leaves (files, or folders searched for *.yaml/*.yml)

run "workload-catalog validate --help" for its options`;

const processOutput: Output = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

/** Runs the CLI; resolves to the exit code (0 valid, 1 invalid, 2 usage error). */
export async function main(
  argv: string[],
  output: Output = processOutput,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'validate') return runValidate(rest, output);
  if (command === '--help' || command === '-h' || command === 'help') {
    output.out(`${USAGE}\n`);
    return 0;
  }
  if (command === '--version' || command === '-V') {
    output.out(`${require('../package.json').version}\n`);
    return 0;
  }
  output.err(
    `${command === undefined ? 'workload-catalog: missing command' : `workload-catalog: unknown command "${command}"`}\n${USAGE}\n`,
  );
  return 2;
}

export { VALIDATE_USAGE };
