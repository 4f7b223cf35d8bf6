import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Validate the leaf the form produced (the usual first step)',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'workload:leaf:validate',
          name: 'Validate the workload',
          input: { leaf: '${{ parameters.leaf }}' },
        },
      ],
    }),
  },
  {
    description:
      'Validate an Ollama inference service written out in the template',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'workload:leaf:validate',
          name: 'Validate the workload',
          input: {
            leaf: {
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
            },
          },
        },
      ],
    }),
  },
];
