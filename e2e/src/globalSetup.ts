/*
 * Starts everything the tests need, once: the app's production build (when stale), a local
 * Ollama API, and the stack (local GitHub, backend, app) on free ports. The URLs reach the
 * tests through the environment; the returned function stops it all.
 */
import { startFakeOllama } from './fakeOllama.ts';
import { buildApp, startStack } from './stack.ts';

export default async function globalSetup() {
  await buildApp();
  const ollama = await startFakeOllama();
  const stack = await startStack({
    verbose: !!process.env.E2E_VERBOSE,
    backendConfig: {
      workloadCatalog: {
        suggestedModels: [
          {
            ref: 'phi:latest',
            size: '1.6G',
            description:
              'Microsoft Phi-2: small, fast, good for trying things out',
          },
          {
            ref: 'mistral:7b',
            size: '4.1G',
            description: 'Mistral 7B Instruct',
          },
        ],
        ollama: { baseUrl: ollama.url },
      },
    },
  });
  process.env.E2E_APP_URL = stack.appUrl;
  process.env.E2E_BACKEND_URL = stack.backendUrl;
  process.env.E2E_GITHUB_URL = stack.githubUrl;
  process.env.E2E_CATALOG_GIT_DIR = stack.catalogGitDir;
  process.env.E2E_ARGOCD_URL = stack.argocdUrl;
  process.env.E2E_OLLAMA_URL = stack.ollamaUrl;
  return async () => {
    if (process.env.E2E_PRINT_LOGS) process.stderr.write(stack.logs());
    await stack.stop();
    await ollama.close();
  };
}
