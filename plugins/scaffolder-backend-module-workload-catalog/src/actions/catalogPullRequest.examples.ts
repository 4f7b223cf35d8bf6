import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const seed = {
  workloadType: 'OLLAMA_INFERENCE_LOAD',
  serviceName: 'ollama-phi',
  serviceCatalog: 'ml-inference',
  namespace: 'ml-workloads',
  environment: 'dev',
  model: 'phi:latest',
  gpu: { count: 1 },
  ingress: { enabled: true, host: 'text.hypermedia.au' },
  container: {
    replicas: 1,
    resources: {
      requests: { cpu: '500m', memory: '2Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    },
  },
};

export const examples: TemplateExample[] = [
  {
    description:
      'Validate the leaf, then open the catalog pull request (the usual pair of steps)',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'workload:leaf:validate',
          name: 'Validate the workload',
          input: { leaf: '${{ parameters.leaf }}' },
        },
        {
          id: 'pull-request',
          action: 'workload:catalog:pull-request',
          name: 'Open the catalog pull request',
          input: { leaf: '${{ steps.validate.output.leaf }}' },
        },
      ],
      output: {
        links: [
          {
            title: 'Catalog pull request',
            url: '${{ steps["pull-request"].output.pullRequestUrl }}',
          },
        ],
      },
    }),
  },
  {
    description:
      'Open a pull request for the seed Ollama service, with reviewers, a label, as a draft',
    example: yaml.stringify({
      steps: [
        {
          id: 'pull-request',
          action: 'workload:catalog:pull-request',
          name: 'Open the catalog pull request',
          input: {
            leaf: seed,
            reviewers: ['platform-reviewer'],
            teamReviewers: ['ml-platform'],
            labels: ['gpu'],
            draft: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Change a workload that is already in the catalog (without "update" this fails: the leaf exists)',
    example: yaml.stringify({
      steps: [
        {
          id: 'pull-request',
          action: 'workload:catalog:pull-request',
          name: 'Propose the change',
          input: { leaf: { ...seed, gpu: { count: 2 } }, update: true },
        },
      ],
    }),
  },
];
