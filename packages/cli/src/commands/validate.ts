/*
 * `workload-catalog validate PATH...`: the check a catalog repo's CI runs on every pull
 * request. Files are read and checked one at a time and their problems printed at once, so
 * memory stays flat however many leaves the repository holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CatalogRules,
  checkLeafPathPattern,
  DEFAULT_MAX_LEAF_BYTES,
  leafPath,
  narrowPolicy,
  parseLeafFile,
  parsePolicyFile,
  POLICY_FILE_PATH,
  type LeafFileResult,
  type LeafPolicy,
  type ParseLeafOptions,
  type PositionedIssue,
} from '@workload-catalog/plugin-workload-catalog-common';
import { BufferedWriter, type Output } from '../output';
import { MAX_LEAF_KIB_FLAG, readLeafText } from '../readLeafFile';

export const VALIDATE_USAGE = `usage: workload-catalog validate [options] PATH...

Checks catalog leaves. PATH is a leaf file or a folder, searched recursively for *.yaml and
*.yml, hidden ones included (Argo CD's generator reads them too; only .git and node_modules
are skipped). A symbolic link or a file that is not a regular file is an error. Across the
files: serviceName + namespace and serviceName + environment are each unique.

The platform policy is read from ${POLICY_FILE_PATH} in the current folder (the
catalog repo's root) when it exists, or from --policy; the flags below may only narrow it.

options:
  --format text|json     text (default): one line per problem,
                           FILE:LINE:COLUMN: error: FIELD.PATH: message
                         json: [{file, valid, errors: [{path, message, line, column}]}]
  --policy FILE          the platform policy (default: ${POLICY_FILE_PATH} if present)
  --max-gpu N            most GPUs per replica (default: the policy's, else 8)
  --environments A,B     allowed environments (default: the policy's, else any)
  --namespaces A,B       allowed namespaces (default: the policy's, else any but system ones)
  --layout PATTERN       where each leaf must be, e.g.
                         "catalog/{serviceCatalog}/{environment}/{serviceName}.yaml"
  --max-leaf-kib N       largest leaf file in KiB (default: ${DEFAULT_MAX_LEAF_BYTES / 1024}); a larger file is
                         refused after reading N KiB + 1 byte of it
  -q, --quiet            no summary line on stderr
  -h, --help             this help

exit status: 0 every leaf is valid, 1 a leaf is invalid, 2 usage error`;

const LEAF_EXTENSIONS = new Set(['.yaml', '.yml']);

interface ValidateOptions extends ParseLeafOptions {
  format: 'text' | 'json';
  layout?: string;
  quiet: boolean;
}

class UsageError extends Error {}

function parseOptions(
  argv: string[],
): { options: ValidateOptions; paths: string[] } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', default: 'text' },
        policy: { type: 'string' },
        'max-gpu': { type: 'string' },
        environments: { type: 'string' },
        namespaces: { type: 'string' },
        layout: { type: 'string' },
        'max-leaf-kib': { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.format !== 'text' && v.format !== 'json') {
    throw new UsageError(
      `--format must be "text" or "json"; got "${v.format}"`,
    );
  }
  const list = (s: string | undefined, flag: string) => {
    if (s === undefined) return undefined;
    const items = s
      .split(',')
      .map(x => x.trim())
      .filter(Boolean);
    if (items.length === 0)
      throw new UsageError(`${flag} needs at least one name`);
    return items;
  };
  let maxGpuCount: number | undefined;
  if (v['max-gpu'] !== undefined) {
    maxGpuCount = Number(v['max-gpu']);
    if (!Number.isInteger(maxGpuCount) || maxGpuCount < 0 || maxGpuCount > 16) {
      throw new UsageError(
        `--max-gpu must be a whole number from 0 to 16; got "${v['max-gpu']}"`,
      );
    }
  }
  let maxBytes: number | undefined;
  const maxKib = v['max-leaf-kib'];
  if (maxKib !== undefined) {
    const n = Number(maxKib);
    if (!/^[0-9]{1,7}$/.test(maxKib) || n < 1 || n > 1048576) {
      throw new UsageError(
        `${MAX_LEAF_KIB_FLAG} must be a whole number of KiB from 1 to 1048576 (1 GiB); got "${maxKib}"`,
      );
    }
    maxBytes = n * 1024;
  }
  const layoutProblem =
    v.layout === undefined ? undefined : checkLeafPathPattern(v.layout);
  if (layoutProblem) throw new UsageError(`--layout ${layoutProblem}`);
  if (parsed.positionals.length === 0) throw new UsageError('no PATH given');
  const flags: LeafPolicy = {
    maxGpuCount,
    environments: list(v.environments, '--environments'),
    namespaces: list(v.namespaces, '--namespaces'),
  };
  const { policy, problems } = narrowPolicy(readPolicy(v.policy), flags, {
    maxGpuCount: '--max-gpu',
    environments: '--environments',
    namespaces: '--namespaces',
  });
  if (problems.length) throw new UsageError(problems.join('\n'));
  return {
    paths: parsed.positionals,
    options: {
      format: v.format,
      quiet: v.quiet ?? false,
      layout: v.layout,
      maxBytes,
      ...policy,
    },
  };
}

/** The policy file named by --policy, or the catalog repo's own when it is there. */
function readPolicy(file: string | undefined): LeafPolicy {
  const target = file ?? POLICY_FILE_PATH;
  if (file === undefined && !fs.existsSync(target)) return {};
  let text: string;
  try {
    const stat = fs.statSync(target);
    if (!stat.isFile())
      throw new UsageError(`--policy ${target} is not a regular file`);
    text = fs.readFileSync(target, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `cannot read the policy ${target}: ${(e as Error).message}`,
    );
  }
  const { policy, issues } = parsePolicyFile(text);
  if (!policy) {
    throw new UsageError(
      `the platform policy is not valid:\n${issues.map(i => `${target}:${i.line}:1: error: ${i.path}: ${i.message}`).join('\n')}`,
    );
  }
  return policy;
}

/** Folders never searched: git's own data and installed packages. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/** A file the walk found; `problem` when it cannot be a leaf whatever it holds. */
interface Found {
  file: string;
  problem?: string;
}

/**
 * Leaf files under a path, depth first, in name order (so output is stable). Hidden files
 * and folders are searched: Argo CD's files generator reads them. Symbolic links are not
 * followed but reported: the generator would deploy the target's content under the link's
 * path (a second leaf for one file, or a file from outside the catalog).
 */
function* walk(target: string): Generator<Found> {
  const stat = fs.lstatSync(target);
  if (stat.isSymbolicLink()) {
    yield {
      file: target,
      problem:
        'is a symbolic link; a leaf must be a regular file (Argo CD would deploy the content of its target under this path)',
    };
    return;
  }
  if (!stat.isDirectory()) {
    yield stat.isFile()
      ? { file: target }
      : { file: target, problem: 'is not a regular file' };
    return;
  }
  const entries = fs.readdirSync(target, { withFileTypes: true });
  // code-unit order, the same on every machine and locale
  entries.sort((a, b) => Number(a.name > b.name) - Number(a.name < b.name));
  for (const entry of entries) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) yield* walk(full);
    } else if (LEAF_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      if (entry.isSymbolicLink()) yield* walk(full);
      else if (entry.isFile()) yield { file: full };
      else yield { file: full, problem: 'is not a regular file' };
    }
  }
}

function readLeaf(file: string, options: ParseLeafOptions): LeafFileResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_LEAF_BYTES;
  const { text, issue } = readLeafText(file, maxBytes);
  if (issue) return { valid: false, issues: [issue] };
  return parseLeafFile(text, { ...options, maxBytes });
}

/**
 * Checks across files: the layout of the catalog repo, and the catalog-wide rules of the
 * common package (`CatalogRules`: one leaf per service and environment, one owner of each
 * Kubernetes name, serviceName in a namespace), which the pull-request action and the
 * catalog module apply too. Two leaves with the same serviceName and namespace would make
 * two Applications own the same Deployment, Service and route, and the second would
 * silently replace the first.
 */
class CatalogChecks {
  private readonly rules = new CatalogRules();

  constructor(private readonly layout: string | undefined) {}

  check(file: string, result: LeafFileResult): PositionedIssue[] {
    if (!result.valid || !result.leaf) return [];
    const leaf = result.leaf;
    const issues: PositionedIssue[] = this.rules
      .check({ path: file, leaf, positionOf: result.positionOf })
      .map(({ path: field, line, column, message }) => ({
        path: field,
        line,
        column,
        message,
      }));
    if (this.layout) {
      const expected = leafPath(leaf, this.layout);
      const actual = file.split(path.sep).join('/');
      if (!(actual === expected || actual.endsWith(`/${expected}`))) {
        issues.push({
          path: '(leaf)',
          line: 1,
          column: 1,
          message: `leaf is at ${actual}, but its fields place it at ${expected}; move the file or fix serviceCatalog, environment or serviceName`,
        });
      }
    }
    return issues;
  }
}

/**
 * Most problems one run prints, over all files; the rest are counted on one last line. Each
 * file's own are at most 50 (the common package's cap) and each line is clipped, so this
 * bounds the output of a whole catalog of bad leaves: 25,000 of them would otherwise print
 * megabytes, and the catalog-wide problems (duplicates) of so many files as many lines.
 */
export const MAX_PRINTED_PROBLEMS = 1000;

export async function runValidate(
  argv: string[],
  output: Output,
): Promise<number> {
  let parsed;
  try {
    parsed = parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      output.err(
        `workload-catalog validate: ${e.message}\n\n${VALIDATE_USAGE}\n`,
      );
      return 2;
    }
    throw e;
  }
  if (parsed === 'help') {
    output.out(`${VALIDATE_USAGE}\n`);
    return 0;
  }
  const { options, paths } = parsed;
  for (const p of paths) {
    if (!fs.existsSync(p)) {
      output.err(`workload-catalog validate: no such file or folder: ${p}\n`);
      return 2;
    }
  }

  const out = new BufferedWriter(output.out);
  const catalog = new CatalogChecks(options.layout);
  let files = 0;
  let invalid = 0;
  let problems = 0;
  let omitted = 0;
  let omittedFiles = 0;
  if (options.format === 'json') out.write('[');
  for (const root of paths) {
    for (const { file, problem } of walk(root)) {
      let result: LeafFileResult;
      try {
        result = problem
          ? {
              valid: false,
              issues: [
                { path: '(document)', line: 1, column: 1, message: problem },
              ],
            }
          : readLeaf(file, options);
      } catch (e) {
        result = {
          valid: false,
          issues: [
            {
              path: '(document)',
              line: 1,
              column: 1,
              message: `cannot read file: ${(e as Error).message}`,
            },
          ],
        };
      }
      const issues = [...result.issues, ...catalog.check(file, result)];
      const valid = issues.length === 0;
      const budget = Math.max(0, MAX_PRINTED_PROBLEMS - (problems - omitted));
      const shown = issues.length > budget ? issues.slice(0, budget) : issues;
      if (shown.length < issues.length) {
        omitted += issues.length - shown.length;
        omittedFiles++;
      }
      if (options.format === 'json') {
        out.write(
          `${files > 0 ? ',' : ''}\n  ${JSON.stringify({
            file,
            valid,
            errors: shown.map(i => ({
              path: i.path,
              message: i.message,
              line: i.line,
              column: i.column,
            })),
            ...(shown.length < issues.length
              ? { omitted: issues.length - shown.length }
              : {}),
          })}`,
        );
      } else {
        for (const issue of shown) {
          out.write(
            `${file}:${issue.line}:${issue.column}: error: ${issue.path}: ${issue.message}\n`,
          );
        }
      }
      files++;
      if (!valid) invalid++;
      problems += issues.length;
    }
  }
  if (options.format === 'text' && omitted > 0) {
    out.write(
      `... and ${omitted.toLocaleString('en-US')} more problem${omitted === 1 ? '' : 's'} in ${omittedFiles.toLocaleString('en-US')} file${omittedFiles === 1 ? '' : 's'} (only the first ${MAX_PRINTED_PROBLEMS.toLocaleString('en-US')} are shown)\n`,
    );
  }
  if (options.format === 'json') out.write(files > 0 ? '\n]\n' : ']\n');
  out.flush();
  if (!options.quiet) {
    if (files === 0) {
      output.err(
        `workload-catalog validate: no *.yaml or *.yml files under ${paths.join(', ')}\n`,
      );
    } else if (options.format === 'text') {
      output.err(
        `${files} leaf file${files === 1 ? '' : 's'} checked: ${files - invalid} valid, ${invalid} invalid${problems ? ` (${problems} problem${problems === 1 ? '' : 's'})` : ''}\n`,
      );
    }
  }
  return invalid > 0 ? 1 : 0;
}
