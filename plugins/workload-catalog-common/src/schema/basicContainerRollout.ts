/* BASIC_CONTAINER_ROLLOUT: a stateless container released progressively by Argo Rollouts. */
import { z } from 'zod';
import { describeValue } from '../validation/describe';
import { appContainerSchema, identityFieldsOf, ingressSchema } from './base';

/** Argo Rollouts durations: a number with s, m or h, or a number of seconds. */
export const ROLLOUT_DURATION_PATTERN = '^[0-9]+(s|m|h)?$';

export const rolloutStepSchema = z
  .strictObject({
    setWeight: z
      .number()
      .int({ error: 'must be a whole percentage' })
      .min(1, { error: 'must be a percentage from 1 to 100' })
      .max(100, { error: 'must be a percentage from 1 to 100' })
      .optional()
      .meta({
        description: 'Send this percentage of traffic to the new version',
      }),
    pause: z
      .strictObject({
        duration: z
          .string()
          .regex(new RegExp(ROLLOUT_DURATION_PATTERN), {
            error: iss =>
              `must be a duration such as "30s", "5m" or "1h"; got ${describeValue(iss.input)}`,
          })
          .optional()
          .meta({
            description:
              'How long to wait; leave out to wait for a manual promotion',
          }),
      })
      .optional()
      .meta({ description: 'Wait before the next step' }),
  })
  .superRefine((step, ctx) => {
    const count =
      (step.setWeight !== undefined ? 1 : 0) +
      (step.pause !== undefined ? 1 : 0);
    if (count !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'a step is either setWeight (a percentage) or pause ({} or {duration}), one per step',
      });
    }
  })
  .meta({ oneOf: [{ required: ['setWeight'] }, { required: ['pause'] }] });

export const DEFAULT_CANARY_STEPS = [
  { setWeight: 20 },
  { pause: { duration: '2m' } },
  { setWeight: 50 },
  { pause: { duration: '2m' } },
];

export const rolloutSchema = z
  .strictObject({
    canary: z
      .strictObject({
        steps: z
          .array(rolloutStepSchema)
          .min(1)
          .max(30)
          .default(DEFAULT_CANARY_STEPS)
          .meta({
            description:
              'Traffic steps; after the last one the new version takes all traffic',
          }),
      })
      .superRefine((canary, ctx) => {
        let last = 0;
        canary.steps.forEach((step, i) => {
          if (step.setWeight === undefined) return;
          if (step.setWeight < last) {
            ctx.addIssue({
              code: 'custom',
              path: ['steps', i, 'setWeight'],
              message: `must not be lower than the weight of an earlier step (${last})`,
            });
          }
          last = Math.max(last, step.setWeight);
        });
      })
      .optional()
      .meta({ description: 'Shift traffic to the new version step by step' }),
    blueGreen: z
      .strictObject({
        autoPromotionEnabled: z.boolean().default(false).meta({
          description:
            'Switch traffic to the new version as soon as it is ready',
        }),
      })
      .optional()
      .meta({
        description:
          'Run the new version beside the old one and switch all traffic at once',
      }),
  })
  .superRefine((rollout, ctx) => {
    const count = (rollout.canary ? 1 : 0) + (rollout.blueGreen ? 1 : 0);
    if (count !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          count === 0
            ? 'needs a strategy: canary or blueGreen'
            : 'must have either canary or blueGreen, not both',
      });
    }
  })
  .meta({
    title: 'Rollout',
    description: 'How a new version is released (Argo Rollouts)',
    oneOf: [{ required: ['canary'] }, { required: ['blueGreen'] }],
  });

export const basicContainerRolloutSchema = z
  .strictObject({
    workloadType: z.literal('BASIC_CONTAINER_ROLLOUT'),
    ...identityFieldsOf('BASIC_CONTAINER_ROLLOUT'),
    ingress: ingressSchema.optional(),
    container: appContainerSchema,
    rollout: rolloutSchema.prefault({ canary: {} }),
  })
  .meta({
    title: 'Progressive rollout service',
    description:
      'A stateless container released by Argo Rollouts (canary or blue-green)',
  });
