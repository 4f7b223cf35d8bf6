/* BASIC_CONTAINER_LOAD: a stateless container behind a Service (a Deployment). */
import { z } from 'zod';
import { appContainerSchema, identityFieldsOf, ingressSchema } from './base';

export const basicContainerLoadSchema = z
  .strictObject({
    workloadType: z.literal('BASIC_CONTAINER_LOAD'),
    ...identityFieldsOf('BASIC_CONTAINER_LOAD'),
    ingress: ingressSchema.optional(),
    container: appContainerSchema,
  })
  .meta({
    title: 'Container service',
    description: 'A stateless container behind a Service',
  });
