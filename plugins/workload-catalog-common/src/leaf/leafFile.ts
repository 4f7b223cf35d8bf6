/*
 * Leaf files: YAML in, positioned problems out; leaves back to YAML in a stable order.
 *
 * Parsing keeps the YAML document (the `yaml` package's AST) so every problem, from the
 * YAML syntax up to a semantic rule, gets the line and column of the node it is about.
 */
import {
  Document,
  LineCounter,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type Node as YamlNode,
} from 'yaml';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { WorkloadLeaf } from '../schema/leaf';
import { YAML11_BOOLEAN } from './printLeaf';
import {
  formatPath,
  validateLeaf,
  type FieldPath,
  type LeafIssue,
  type LeafPolicy,
} from '../validation/validate';

/** A leaf is a few hundred bytes; anything near this limit is not a leaf. */
export const DEFAULT_MAX_LEAF_BYTES = 256 * 1024;
/** Anchors and aliases are legal YAML, but a leaf needs few; many is an expansion attack. */
export const MAX_ALIAS_COUNT = 50;

export interface PositionedIssue {
  /** `container.resources.limits.cpu`; `(document)` for YAML problems outside any field. */
  path: string;
  message: string;
  line: number;
  column: number;
}

export interface LeafFileResult {
  valid: boolean;
  /** The validated leaf, defaults applied, when valid. */
  leaf?: WorkloadLeaf;
  /** The plain value parsed from YAML (before validation), when the YAML parsed. */
  value?: unknown;
  issues: PositionedIssue[];
  /** Line and column of a field in the file, when the YAML parsed (for checks across files). */
  positionOf?: (path: FieldPath) => { line: number; column: number };
}

export interface ParseLeafOptions extends LeafPolicy {
  maxBytes?: number;
}

const YAML_MESSAGES: Record<string, (msg: string) => string> = {
  DUPLICATE_KEY: () =>
    'duplicate key: each field may appear only once in a mapping',
  MULTIPLE_DOCS: () =>
    'a leaf file holds one YAML document; remove the "---" separator and put each leaf in its own file',
  BAD_INDENT: msg => `bad indentation: ${msg}`,
  TAB_AS_INDENT: () =>
    'tabs are not allowed for indentation in YAML; indent with spaces',
};

/**
 * YAML that the fast parser might read differently from the `yaml` package (anchors,
 * aliases and tags, directives, complex or null keys, binary integers, negative zero,
 * YAML 1.1 booleans), or that is not plain enough to be worth trying: such text always goes
 * through the full parser.
 *
 * It only chooses the parser, so matching more than needed is always safe (just slower),
 * and it must run in linear time on any input: each alternative is a fixed token, or a
 * fixed token followed by one run of spaces, so no two quantifiers compete for the same
 * characters (a test checks every alternative with recheck). Each is a superset of a
 * tighter rule that would need such a competition, e.g. "an anchor after a flow indicator
 * on the same line" became "an anchor anywhere".
 */
export const NEEDS_FULL_PARSER = new RegExp(
  [
    // an anchor, alias or tag anywhere (and "&", "*", "!" before any character in text)
    String.raw`[&*!]\S`,
    // a directive
    String.raw`^%`,
    // a complex key: "?" where a node may start
    String.raw`(?:^|[\s-])\?(?:\s|$)`,
    // a flow collection as a key: "]" or "}" then ":"
    String.raw`[\]}]\s*:(?:\s|$)`,
    // null as a key (or "null :" anywhere)
    String.raw`(?:~|null|Null|NULL)\s*:(?:\s|$)`,
    // plain yes/no/on/off and friends, wherever a scalar may start and end: text here,
    // booleans to Helm (YAML 1.1)
    String.raw`(?:^|[\s[{,])(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)(?:[\s,\]}#]|$)`,
    // scalars the two parsers read differently: binary integers, negative zero
    String.raw`0b[01]`,
    String.raw`(?:^|[\s[{,])-\.?0`,
    // tabs (the full parser explains what to do)
    String.raw`\t`,
  ].join('|'),
  'm',
);

/**
 * Parses and validates the text of one leaf file.
 *
 * Most leaves in a catalog repo are valid, and a valid leaf needs no positions. So plain
 * YAML is first read by js-yaml (about ten times faster than the `yaml` package and, for the
 * YAML that NEEDS_FULL_PARSER lets through, giving the same values; a test checks this on
 * generated leaves). Anything that fails there, or that the fast path does not take, is read
 * again by the `yaml` package, which keeps every node's position: the problems reported
 * are the same either way, with their lines and columns.
 */
export function parseLeafFile(
  text: string,
  options: ParseLeafOptions = {},
): LeafFileResult {
  const tooLarge = sizeIssue(text, options.maxBytes ?? DEFAULT_MAX_LEAF_BYTES);
  if (tooLarge) return { valid: false, issues: [tooLarge] };
  if (!NEEDS_FULL_PARSER.test(text)) {
    let value: unknown;
    let parsed = true;
    try {
      value = loadYaml(text, { schema: CORE_SCHEMA });
    } catch {
      parsed = false;
    }
    if (parsed) {
      const result = validateLeaf(value, options);
      if (result.valid) {
        let positions:
          ((path: FieldPath) => { line: number; column: number }) | undefined;
        const positionOf = (path: FieldPath) => {
          positions ??= parseWithPositions(text, options).positionOf!;
          return positions(path);
        };
        return {
          valid: true,
          leaf: result.leaf,
          value,
          issues: [],
          positionOf,
        };
      }
    }
  }
  return parseWithPositions(text, options);
}

function sizeIssue(
  text: string,
  maxBytes: number,
): PositionedIssue | undefined {
  // Cheap check first: a string's UTF-8 size is at least its length.
  const size =
    text.length > maxBytes / 3
      ? new TextEncoder().encode(text).length
      : text.length;
  if (size <= maxBytes) return undefined;
  return {
    path: '(document)',
    line: 1,
    column: 1,
    message: `file is ${Math.ceil(size / 1024)} KiB; a leaf may be at most ${Math.floor(maxBytes / 1024)} KiB`,
  };
}

/** The full parse: the `yaml` package's document, with a position for every problem. */
export function parseWithPositions(
  text: string,
  options: ParseLeafOptions = {},
): LeafFileResult {
  const tooLarge = sizeIssue(text, options.maxBytes ?? DEFAULT_MAX_LEAF_BYTES);
  if (tooLarge) return { valid: false, issues: [tooLarge] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    return {
      valid: false,
      issues: doc.errors.map(err => {
        const code = /multiple documents/i.test(err.message)
          ? 'MULTIPLE_DOCS'
          : err.code;
        const raw = err.message.replace(/\s+at line \d+, column \d+.*$/s, '');
        const message =
          YAML_MESSAGES[code]?.(raw) ?? `YAML syntax error: ${raw}`;
        const path =
          code === 'MULTIPLE_DOCS' ? undefined : pathAtOffset(doc, err.pos[0]);
        return {
          path: path ? formatPath(path) : '(document)',
          message,
          ...pos(err.pos[0]),
        };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return {
      valid: false,
      issues: [
        {
          path: '(document)',
          line: 1,
          column: 1,
          message: `too many alias expansions (more than ${MAX_ALIAS_COUNT}): a leaf must not use YAML aliases to build large documents`,
        },
      ],
    };
  }
  const positionOf = (path: FieldPath) =>
    pos(offsetOf(doc, { path, message: '' }));
  const result = validateLeaf(value, options);
  const ambiguous = yaml11Scalars(doc);
  if (result.valid && ambiguous.length === 0)
    return { valid: true, leaf: result.leaf, value, issues: [], positionOf };
  const issues = [
    ...(result.valid ? [] : result.issues).map(issue => ({
      path: formatPath(issue.path),
      message: issue.message,
      ...pos(offsetOf(doc, issue)),
    })),
    ...ambiguous.map(({ path, text: scalar, offset }) => ({
      path: formatPath(path),
      message: `write "${scalar}" in quotes: unquoted, Helm and Argo CD (YAML 1.1) read it as true or false, not as the text "${scalar}"`,
      ...pos(offset),
    })),
  ];
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return { valid: false, value, issues, positionOf };
}

/** Plain scalars that YAML 1.2 (this parser) reads as text but YAML 1.1 (Helm) does not. */
function yaml11Scalars(
  doc: Document,
): { path: FieldPath; text: string; offset: number }[] {
  const found: { path: FieldPath; text: string; offset: number }[] = [];
  const walk = (node: unknown, path: FieldPath) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyOf(pair.key);
        if (key !== undefined) walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (
      isScalar(node) &&
      node.type === 'PLAIN' &&
      typeof node.value === 'string' &&
      YAML11_BOOLEAN.test(node.value)
    ) {
      found.push({ path, text: node.value, offset: node.range?.[0] ?? 0 });
    }
  };
  walk(doc.contents, []);
  return found;
}

/** Where an issue points: the key for key problems, else the value, else the nearest parent. */
function offsetOf(doc: Document, issue: LeafIssue): number {
  const path = issue.path;
  for (let n = path.length; n >= 0; n--) {
    const parentPath = path.slice(0, Math.max(0, n - 1));
    const parent = n === 0 ? null : doc.getIn(parentPath, true);
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find(p => keyOf(p.key) === String(path[n - 1]));
      if (pair) {
        const node =
          issue.atKey && n === path.length
            ? pair.key
            : (pair.value ?? pair.key);
        if (isNode(node) && node.range) return node.range[0];
        if (isNode(pair.key) && pair.key.range) return pair.key.range[0];
      }
      continue;
    }
    if (n > 0 && isSeq(parent)) {
      const item = parent.items[Number(path[n - 1])];
      if (isNode(item) && item.range) return item.range[0];
      continue;
    }
    if (n === 0 && isNode(doc.contents) && doc.contents.range)
      return doc.contents.range[0];
  }
  return 0;
}

function keyOf(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** The field path of the innermost node at a source offset (for YAML errors). */
function pathAtOffset(doc: Document, offset: number): FieldPath | undefined {
  const path: FieldPath = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = [...node.items].reverse().find(p => {
        const end =
          isNode(p.value) && p.value.range
            ? p.value.range[2]
            : (p.key as YamlNode)?.range?.[2];
        const start = (p.key as YamlNode)?.range?.[0];
        return (
          start !== undefined &&
          end !== undefined &&
          offset >= start &&
          offset <= end
        );
      });
      if (!pair || !isPair(pair)) break;
      const key = keyOf(pair.key);
      if (key === undefined) break;
      path.push(key);
      // An error at the key itself (a duplicate key) is about this field, not its contents.
      if ((pair.key as YamlNode)?.range?.[0] === offset) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const idx = node.items.findIndex(
        i =>
          isNode(i) && i.range && offset >= i.range[0] && offset <= i.range[2],
      );
      if (idx < 0) break;
      path.push(idx);
      node = node.items[idx];
    } else break;
  }
  return path.length ? path : undefined;
}
