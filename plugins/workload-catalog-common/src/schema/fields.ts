/*
 * Field primitives shared by every workload type. Each one carries its own message, written
 * for the person who has to fix the leaf: what is allowed, with an example, and what was given.
 *
 * Patterns are written for RE2 as well as for JavaScript (no lookaround, no backreferences),
 * because the same patterns end up in the charts' values.schema.json, which Helm checks
 * with Go's regexp engine.
 */
import { z } from 'zod';
import { describeValue, typeError } from '../validation/describe';
import { POSITIVE_QUANTITY_PATTERN, QUANTITY_PATTERN } from './quantity';
import { uiHints } from './uiHints';

/** DNS-1123 label: the shape Kubernetes requires of names, also safe as a path segment. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** DNS-1123 subdomain: Secret and StorageClass names. */
export const DNS_SUBDOMAIN_PATTERN =
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** RFC 1123 host name with at least one dot, lowercase, no scheme, port or path. */
export const HOSTNAME_PATTERN =
  '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$';
/** Environment variable names as POSIX shells accept them. */
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
/** OCI image reference: [registry[:port]/]repository[:tag][@sha256:digest]. */
export const IMAGE_PATTERN =
  '^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$';
/** Backstage entity reference: [kind:][namespace/]name. */
export const ENTITY_REF_PATTERN =
  '^([A-Za-z][A-Za-z0-9]*:)?([a-z0-9][-a-z0-9]*/)?[A-Za-z0-9][-A-Za-z0-9_.]*$';
/** Absolute, normalised container path: no empty, "." or ".." segments, no trailing "/". */
export const ABSOLUTE_PATH_PATTERN =
  '^(/([A-Za-z0-9_-][A-Za-z0-9._-]*|\\.[A-Za-z0-9_-][A-Za-z0-9._-]*|\\.\\.[A-Za-z0-9._-]+))+$';
/** URL path prefix for routing: "/" or "/segment/...". */
export const URL_PATH_PATTERN =
  '^/([A-Za-z0-9._~!$&()*+,;=:@%-]+(/[A-Za-z0-9._~!$&()*+,;=:@%-]+)*/?)?$';

/**
 * A path prefix that routes traffic (ingress.path): what Gateway API accepts as an HTTPRoute
 * PathPrefix value (the CEL rules of HTTPPathMatch: starts with "/", no "//", no "/./" or
 * "/../" and no trailing "/." or "/..", no "%2f"/"%2F", no "#", characters of
 * `[-A-Za-z0-9/._~!$&'()*+,;=:@]` or %-escapes), narrowed further: no percent-escapes at all
 * (an escaped "." or "/" is read differently by gateways and backends) and no "'". Segments
 * are non-empty and neither "." nor ".."; a trailing "/" is allowed. The three segment forms
 * start differently (a character other than ".", "." then one, ".."), so it stays linear.
 */
export const ROUTE_PATH_PATTERN =
  '^/(([A-Za-z0-9_~!$&()*+,;=:@-][A-Za-z0-9._~!$&()*+,;=:@-]*|\\.[A-Za-z0-9_~!$&()*+,;=:@-][A-Za-z0-9._~!$&()*+,;=:@-]*|\\.\\.[A-Za-z0-9._~!$&()*+,;=:@-]+)(/([A-Za-z0-9_~!$&()*+,;=:@-][A-Za-z0-9._~!$&()*+,;=:@-]*|\\.[A-Za-z0-9_~!$&()*+,;=:@-][A-Za-z0-9._~!$&()*+,;=:@-]*|\\.\\.[A-Za-z0-9._~!$&()*+,;=:@-]+))*/?)?$';

const ROUTE_PATH_CHARACTERS = `letters, digits, "/" and - . _ ~ ! $ & ( ) * + , ; = : @`;

/** Why a string is not a route path (ROUTE_PATH_PATTERN), found with string scans only. */
export function routePathProblem(input: unknown): string {
  if (typeof input !== 'string') return `must be a string`;
  if (!input.startsWith('/')) return 'must start with "/"';
  if (input.includes('//'))
    return 'must not contain "//" (an empty segment; Gateway API refuses it)';
  if (input.includes('%'))
    return 'must not contain percent-escapes such as "%2F" or "%2e": write the character itself (Gateway API refuses "%2F", and gateways and backends decode the others differently)';
  if (input.includes('?') || input.includes('#'))
    return 'must be a path only, without a "?" query or a "#" fragment';
  const segments = input.split('/');
  if (segments.some(seg => seg === '.' || seg === '..'))
    return 'must not contain "." or ".." segments (Gateway API refuses them)';
  return `may contain only ${ROUTE_PATH_CHARACTERS}`;
}

const re = (pattern: string) => new RegExp(pattern);

/** DNS-1035 label: a DNS-1123 label that starts with a letter (Kubernetes Service names). */
export const DNS_1035_LABEL_PATTERN = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

export const dnsLabel = (
  what: string,
  maxLength = 63,
  options: {
    startsWithLetter?: boolean;
    /** Why the limit is maxLength, appended to the message ("…: <why>"). */
    maxLengthReason?: string;
  } = {},
) =>
  z
    .string({ error: typeError(`must be a string (${what})`) })
    .min(1, { error: 'must not be empty' })
    .max(maxLength, {
      error: iss =>
        `must be at most ${maxLength} characters (${what})${options.maxLengthReason ? `: ${options.maxLengthReason}` : ''}; got ${String(iss.input).length}`,
    })
    .regex(
      re(options.startsWithLetter ? DNS_1035_LABEL_PATTERN : DNS_LABEL_PATTERN),
      {
        error: iss =>
          `must be a DNS-${options.startsWithLetter ? '1035' : '1123'} label (${what}): lowercase letters, digits and "-", starting with a letter${options.startsWithLetter ? '' : ' or digit'} and ending with a letter or digit, e.g. "ollama-phi"; got ${describeValue(
            iss.input,
          )}${suggestLabel(iss.input)}`,
      },
    );

function suggestLabel(input: unknown): string {
  if (typeof input !== 'string') return '';
  const fixed = input
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|([^-])-+$/g, '$1');
  return fixed && fixed !== input && new RegExp(DNS_LABEL_PATTERN).test(fixed)
    ? ` (did you mean "${fixed}"?)`
    : '';
}

export const dnsSubdomain = (what: string) =>
  z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(253, { error: 'must be at most 253 characters' })
    .regex(re(DNS_SUBDOMAIN_PATTERN), {
      error: iss =>
        `must be a DNS-1123 subdomain (${what}): lowercase letters, digits, "-" and ".", e.g. "hf-token"; got ${describeValue(
          iss.input,
        )}`,
    });

export const hostname = () =>
  z
    .string()
    .max(253, { error: 'must be at most 253 characters' })
    .regex(re(HOSTNAME_PATTERN), {
      error: iss => {
        const input = String(iss.input);
        const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(input);
        if (url) {
          return `must be a host name, not a URL: write "${url[1].toLowerCase()}" without scheme, port or path`;
        }
        if (/[/:]/.test(input)) {
          return `must be a host name only, without port or path, e.g. "text.example.com"; got ${describeValue(
            input,
          )}`;
        }
        if (
          input !== input.toLowerCase() &&
          re(HOSTNAME_PATTERN).test(input.toLowerCase())
        ) {
          return `must be a lowercase host name: write "${input.toLowerCase()}"`;
        }
        return `must be a fully qualified host name (lowercase letters, digits, "-", at least one "."), e.g. "text.example.com"; got ${describeValue(
          input,
        )}`;
      },
    });

/**
 * A Kubernetes resource quantity above 0 such as "500m", "2", "4Gi" (every size, CPU and
 * memory amount of a leaf: a claim of 0 bytes or a limit of 0 CPU is a mistake). Numbers are
 * accepted as YAML authors often write `cpu: 2`; the chart quotes them.
 */
export const quantity = (example: string) => {
  const message = (input: unknown) =>
    (typeof input === 'string' && re(QUANTITY_PATTERN).test(input)) ||
    (typeof input === 'number' && Number.isFinite(input) && input >= 0)
      ? `must be more than 0, e.g. "${example}"; got ${describeValue(input)}`
      : `must be a Kubernetes quantity such as "${example}" (a number with an optional suffix m, k, M, G, Ki, Mi, Gi, Ti); got ${describeValue(
          input,
        )}${suggestQuantity(input)}`;
  return z.union(
    [
      z.string().regex(re(POSITIVE_QUANTITY_PATTERN), {
        error: iss => message(iss.input),
      }),
      z.number().positive({ error: iss => message(iss.input) }),
    ],
    {
      error: iss => (iss.input === undefined ? undefined : message(iss.input)),
    },
  );
};

function suggestQuantity(value: unknown): string {
  if (typeof value !== 'string') return '';
  const m = /^\s*([0-9.]+)\s*([kmgtpe])b?\s*$/i.exec(value);
  if (!m) return '';
  return ` (did you mean "${m[1]}${m[2].toUpperCase()}i"?)`;
}

export const envName = () =>
  z.string().regex(re(ENV_NAME_PATTERN), {
    error: iss =>
      `must be an environment variable name (letters, digits and "_", not starting with a digit), e.g. "OLLAMA_KEEP_ALIVE"; got ${describeValue(
        iss.input,
      )}`,
  });

export const imageRef = () =>
  z
    .string()
    .max(512, { error: 'must be at most 512 characters' })
    .regex(re(IMAGE_PATTERN), {
      error: iss =>
        `must be a container image reference [registry/]repository[:tag][@sha256:digest], e.g. "ghcr.io/acme/api:1.4.2"; got ${describeValue(
          iss.input,
        )}`,
    });

export const absolutePath = (example: string) =>
  z
    .string()
    .max(1024)
    .regex(re(ABSOLUTE_PATH_PATTERN), {
      error: iss =>
        `must be an absolute path such as "${example}" (no "." or ".." segments, no trailing "/"); got ${describeValue(
          iss.input,
        )}`,
    });

export const urlPath = () =>
  z
    .string()
    .max(1024)
    .regex(re(URL_PATH_PATTERN), {
      error: iss =>
        `must be a URL path starting with "/", e.g. "/" or "/api"; got ${describeValue(iss.input)}`,
    });

/** A path prefix that routes traffic: Gateway API's HTTPRoute path rules (ROUTE_PATH_PATTERN). */
export const routePath = () =>
  z
    .string({ error: typeError('must be a route path string such as "/api"') })
    .max(1024, { error: 'must be at most 1024 characters (Gateway API)' })
    .regex(re(ROUTE_PATH_PATTERN), {
      error: iss =>
        `${routePathProblem(iss.input)}: a route path is "/" or "/segment/...", e.g. "/api/v1"; got ${describeValue(iss.input)}`,
    });

export const entityRef = () =>
  z.string().regex(re(ENTITY_REF_PATTERN), {
    error: iss =>
      `must be a Backstage entity reference such as "group:default/ml-platform" or "ml-platform"; got ${describeValue(
        iss.input,
      )}`,
  });

/** Makes a field render with a given RJSF field or widget. */
export function withUi<T extends z.ZodType>(
  schema: T,
  hints: Parameters<typeof uiHints.add>[1],
) {
  uiHints.add(schema, hints);
  return schema;
}
