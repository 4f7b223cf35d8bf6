/*
 * `workload-catalog validate PATH...`: the check a catalog repo's CI runs on every pull
 * request. Files are read and checked one at a time and their problems printed at once, so
 * memory stays flat however many leaves the repository holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkLeafPathPattern,
  DEFAULT_MAX_LEAF_BYTES,
  leafPath,
  parseLeafFile,
  type LeafFileResult,
  type ParseLeafOptions,
  type PositionedIssue,
} from '@workload-catalog/plugin-workload-catalog-common';
import { BufferedWriter, type Output } from '../output';

export const VALIDATE_USAGE = `usage: workload-catalog validate [options] PATH...

Checks catalog leaves. PATH is a leaf file or a folder, searched recursively for *.yaml and
*.yml (hidden folders and node_modules are skipped).

options:
  --format text|json     text (default): one line per problem,
                           FILE:LINE:COLUMN: error: FIELD.PATH: message
                         json: [{file, valid, errors: [{path, message, line, column}]}]
  --max-gpu N            most GPUs a leaf may request (default 8)
  --environments A,B     allowed environments (default: any DNS label)
  --namespaces A,B       allowed namespaces (default: any DNS label)
  --layout PATTERN       where each leaf must be, e.g.
                         "catalog/{serviceCatalog}/{environment}/{serviceName}.yaml"
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
        'max-gpu': { type: 'string' },
        environments: { type: 'string' },
        namespaces: { type: 'string' },
        layout: { type: 'string' },
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
  const layoutProblem =
    v.layout === undefined ? undefined : checkLeafPathPattern(v.layout);
  if (layoutProblem) throw new UsageError(`--layout ${layoutProblem}`);
  if (parsed.positionals.length === 0) throw new UsageError('no PATH given');
  return {
    paths: parsed.positionals,
    options: {
      format: v.format,
      quiet: v.quiet ?? false,
      layout: v.layout,
      maxGpuCount,
      environments: list(v.environments, '--environments'),
      namespaces: list(v.namespaces, '--namespaces'),
    },
  };
}

/** Leaf files under a path, depth first, in name order (so output is stable). */
function* walk(target: string): Generator<string> {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) {
    yield target;
    return;
  }
  const entries = fs.readdirSync(target, { withFileTypes: true });
  // code-unit order, the same on every machine and locale
  entries.sort((a, b) => Number(a.name > b.name) - Number(a.name < b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (
      entry.isFile() &&
      LEAF_EXTENSIONS.has(path.extname(entry.name).toLowerCase())
    )
      yield full;
  }
}

function readLeaf(file: string, options: ParseLeafOptions): LeafFileResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_LEAF_BYTES;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) {
      return {
        valid: false,
        issues: [
          {
            path: '(document)',
            line: 1,
            column: 1,
            message: `file is ${Math.ceil(size / 1024)} KiB; a leaf may be at most ${Math.floor(maxBytes / 1024)} KiB`,
          },
        ],
      };
    }
    return parseLeafFile(fs.readFileSync(fd, 'utf8'), options);
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks across files: the layout of the catalog repo and one leaf per service and environment. */
class CatalogChecks {
  private readonly seen = new Map<string, string>();

  constructor(private readonly layout: string | undefined) {}

  check(file: string, result: LeafFileResult): PositionedIssue[] {
    if (!result.valid || !result.leaf) return [];
    const leaf = result.leaf;
    const issues: PositionedIssue[] = [];
    const at = (field: string) =>
      result.positionOf?.([field]) ?? { line: 1, column: 1 };
    const key = `${leaf.serviceName}\u0000${leaf.environment}`;
    const other = this.seen.get(key);
    if (other !== undefined) {
      issues.push({
        path: 'serviceName',
        ...at('serviceName'),
        message: `"${leaf.serviceName}" is already deployed to environment "${leaf.environment}" by ${other}; service names are unique per environment`,
      });
    } else {
      this.seen.set(key, file);
    }
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
  if (options.format === 'json') out.write('[');
  for (const root of paths) {
    for (const file of walk(root)) {
      let result: LeafFileResult;
      try {
        result = readLeaf(file, options);
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
      if (options.format === 'json') {
        out.write(
          `${files > 0 ? ',' : ''}\n  ${JSON.stringify({
            file,
            valid,
            errors: issues.map(i => ({
              path: i.path,
              message: i.message,
              line: i.line,
              column: i.column,
            })),
          })}`,
        );
      } else {
        for (const issue of issues) {
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
