import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { Templates } from '@rjsf/mui';
import { canExpand, type ObjectFieldTemplateProps } from '@rjsf/utils';
import { ROOT_ID } from '../../lib/leafErrors';
import { Fragment, startTransition, useEffect, useState } from 'react';

const MuiObjectFieldTemplate = Templates.ObjectFieldTemplate!;

/** Sections open at first whatever their content (the ones most forms need). */
const OPEN_SECTIONS = new Set([
  'gpu',
  'ingress',
  'container',
  'storage',
  'rollout',
  'model',
]);
/** Fields laid out two per row at the top of the form. */
const HALF_WIDTH = new Set([
  'serviceName',
  'serviceCatalog',
  'namespace',
  'environment',
]);

/**
 * False in the render that mounts the section, true from just after the browser has painted
 * it. A section's fields mount then, in a transition React can interrupt: the fields at the
 * top of the form are shown and usable first, and typing is not held up by the sections.
 */
function useMountedAfterPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    startTransition(() => setReady(true));
  }, []);
  return ready;
}

function hasValues(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object')
    return Object.values(value as object).some(hasValues);
  return true;
}

function hasErrors(errorSchema: unknown): boolean {
  if (!errorSchema || typeof errorSchema !== 'object') return false;
  return Object.entries(errorSchema as Record<string, unknown>).some(
    ([k, v]) =>
      k === '__errors' ? Array.isArray(v) && v.length > 0 : hasErrors(v),
  );
}

function Properties(props: ObjectFieldTemplateProps & { root: boolean }) {
  const {
    properties,
    schema,
    uiSchema,
    formData,
    disabled,
    readonly,
    onAddClick,
    registry,
    root,
  } = props;
  const { AddButton } = registry.templates.ButtonTemplates;
  return (
    <Grid container spacing={2}>
      {properties.map(p =>
        p.hidden ? (
          <Fragment key={p.name}>{p.content}</Fragment>
        ) : (
          <Grid
            item
            xs={12}
            sm={root && HALF_WIDTH.has(p.name) ? 6 : 12}
            key={p.name}
          >
            {p.content}
          </Grid>
        ),
      )}
      {canExpand(schema, uiSchema, formData) && (
        <Grid item xs={12} sx={{ display: 'flex', justifyContent: 'flex-end' }}>
          <AddButton
            className="object-property-expand"
            onClick={onAddClick(schema)}
            disabled={disabled || readonly}
            uiSchema={uiSchema}
            registry={registry}
          />
        </Grid>
      )}
    </Grid>
  );
}

/**
 * Object fields: the leaf's top level as a grid, each section (GPU, Ingress, Container, ...)
 * as an accordion that is open when it matters (common sections, filled in, or with errors),
 * and objects inside list items as RJSF's MUI theme draws them.
 */
export function SectionTemplate(props: ObjectFieldTemplateProps) {
  const { idSchema, registry, title, description, formData, errorSchema } =
    props;
  const idPrefix =
    (registry.formContext as { idPrefix?: string } | undefined)?.idPrefix ??
    ROOT_ID;
  const id = idSchema.$id;
  const segments =
    id === idPrefix ? [] : id.slice(idPrefix.length + 1).split('_');
  const root = segments.length === 0;
  const inList = segments.some(s => /^[0-9]+$/.test(s));
  const errors = hasErrors(errorSchema);
  const filled = hasValues(formData);
  const [expanded, setExpanded] = useState(
    () =>
      (segments.length === 1 && OPEN_SECTIONS.has(segments[0])) ||
      filled ||
      errors,
  );
  useEffect(() => {
    if (errors) setExpanded(true);
  }, [errors]);
  const ready = useMountedAfterPaint();
  if (root) return <Properties {...props} root />;
  if (inList) return <MuiObjectFieldTemplate {...props} />;
  return (
    <Accordion
      expanded={expanded}
      onChange={(_e, open) => setExpanded(open)}
      disableGutters
      variant="outlined"
      // a closed section's fields are not rendered: less work when the form opens
      TransitionProps={{ unmountOnExit: true }}
      data-testid={`section-${id}`}
      sx={{ '&:before': { display: 'none' } }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`${id}-content`}
        id={`${id}-header`}
      >
        <Box>
          <Typography
            variant="subtitle1"
            component="h3"
            sx={{ fontWeight: 500 }}
            color={errors ? 'error' : undefined}
          >
            {title}
          </Typography>
          {description && (
            <Typography variant="body2" color="text.secondary">
              {description}
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${id}-content`}>
        {ready && <Properties {...props} root={false} />}
      </AccordionDetails>
    </Accordion>
  );
}
