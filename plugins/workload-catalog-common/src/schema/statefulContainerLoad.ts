/* STATEFUL_CONTAINER_LOAD: a container with a persistent volume per replica (a StatefulSet). */
import { z } from 'zod';
import {
  appContainerSchema,
  identityFieldsOf,
  ingressSchema,
  storageSchema,
} from './base';

export const statefulContainerLoadSchema = z
  .strictObject({
    workloadType: z.literal('STATEFUL_CONTAINER_LOAD'),
    ...identityFieldsOf('STATEFUL_CONTAINER_LOAD'),
    ingress: ingressSchema.optional(),
    container: appContainerSchema,
    storage: storageSchema,
  })
  .meta({
    title: 'Stateful container service',
    description:
      'A container with a persistent volume per replica (StatefulSet)',
  });
