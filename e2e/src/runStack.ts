/*
 * `yarn workspace @workload-catalog/e2e stack`: the e2e stack by hand, for exploring and
 * debugging. Prints the URLs and runs until Ctrl-C.
 */
import { buildApp, startStack } from './stack.ts';

async function main() {
  await buildApp();
  const args = process.argv.slice(2);
  const extraTemplates = args.flatMap((a, i) =>
    a === '--template' && args[i + 1] ? [args[i + 1]] : [],
  );
  const stack = await startStack({
    verbose: args.includes('--verbose'),
    extraTemplates,
  });
  process.stdout.write(
    `app      ${stack.appUrl}\nbackend  ${stack.backendUrl}\ngithub   ${stack.githubUrl}\ngit dir  ${stack.catalogGitDir}\n`,
  );
  const stop = () => {
    stack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
