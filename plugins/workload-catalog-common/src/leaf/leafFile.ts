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
  type Pair,
  type YAMLMap,
} from 'yaml';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { WorkloadLeaf } from '../schema/leaf';
import { YAML11_BOOLEAN, yaml11LookAlike } from './printLeaf';
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
/** Flow brackets and block indentation levels together; a leaf is about six deep. */
export const MAX_NESTING_DEPTH = 32;
/** Problems reported per file; the rest are counted in one last "(document)" problem. */
export const MAX_REPORTED_ISSUES = 50;
/**
 * Newlines, commas, colons and quotes together: what YAML structure is made of (lines, flow
 * items, keys, quoted scalars). The largest leaf the schemas allow (200 environment
 * variables, 200 list items, every field, all quoted) has under 5,000; the parsers' time
 * grows with the nodes and errors, so a text with many more is refused before any parser.
 */
export const MAX_LEAF_ENTRIES = 20000;

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
    // plain yes/no/on/off and friends (any case), wherever a scalar may start and end:
    // text here, booleans to Helm (YAML 1.1)
    String.raw`(?:^|[\s[{,])(?:[yY]|[yY][eE][sS]|[nN]|[nN][oO]|[oO][nN]|[oO][fF][fF])(?:[\s,\]}#:]|$)`,
    // scalars the two parsers read differently: binary integers, negative zero
    String.raw`0b[01]`,
    String.raw`(?:^|[\s[{,])-\.?0`,
    // tabs (the full parser explains what to do)
    String.raw`\t`,
  ].join('|'),
  'm',
);

/**
 * Text that may hold a YAML 1.1 look-alike other than a boolean word (yaml11LookAlike): a
 * plain ~ or null (any case), a number with a leading zero (010, 0o10), a plus sign, "_"
 * after a digit (1_000) or in base 60 (1:20). Such text also goes through the full parser,
 * which refuses the look-alikes with their positions. Apart from NEEDS_FULL_PARSER so that
 * each stays small enough for recheck to prove it linear; the same rules apply.
 */
export const YAML11_LOOKALIKE_TEXT = new RegExp(
  [
    String.raw`(?:^|[\s[{,])(?:~|[nN][uU][lL][lL])(?:[\s,\]}#:]|$)`,
    String.raw`(?:^|[\s[{,])[-+]?0[0-9_oO]`,
    String.raw`(?:^|[\s[{,])\+[.0-9]`,
    String.raw`[0-9]_`,
    String.raw`(?:^|[\s[{,])[-+]?[0-9][0-9_]*:[0-9]`,
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
  const refused =
    sizeIssue(text, options.maxBytes ?? DEFAULT_MAX_LEAF_BYTES) ??
    textIssue(text);
  if (refused) return { valid: false, issues: [refused] };
  if (!NEEDS_FULL_PARSER.test(text) && !YAML11_LOOKALIKE_TEXT.test(text)) {
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
          positions ??= fullParse(text, options).positionOf!;
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
      // the same values as the full parser would give: its verdict is this one
      return fullParse(text, options, result);
    }
  }
  return fullParse(text, options);
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

/** Line and column (1-based, in characters) of an offset in the text. */
function positionAt(text: string, offset: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset;) {
    line++;
    lineStart = i + 1;
    i = text.indexOf('\n', i + 1);
  }
  return { line, column: offset - lineStart + 1 };
}

const REFUSED_CHARACTER = /[\0\uFEFF\uFFFD]/;
const DIRECTIVE = /^%/m;

/**
 * What no leaf holds, refused on the text before any parser reads it: NUL, U+FFFD (what a
 * decoder puts where the bytes were not UTF-8), a byte-order mark, YAML directives
 * (`%YAML`, `%TAG`), and nesting deeper than MAX_NESTING_DEPTH (which would take the
 * parsers' stacks). Linear in the text's length.
 */
export function textIssue(text: string): PositionedIssue | undefined {
  const at = (offset: number, message: (where: string) => string) => {
    const { line, column } = positionAt(text, offset);
    return {
      path: '(document)',
      line,
      column,
      message: message(`line ${line}, column ${column}`),
    };
  };
  const bad = REFUSED_CHARACTER.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0);
    if (code === 0) {
      return at(
        bad.index,
        where =>
          `a NUL character (byte 0x00) at ${where}: a leaf is UTF-8 text, remove it`,
      );
    }
    if (code === 0xfeff) {
      return at(
        bad.index,
        where =>
          `a byte-order mark (U+FEFF) at ${where}: save the file as UTF-8 without a byte-order mark`,
      );
    }
    return at(
      bad.index,
      where =>
        `the replacement character U+FFFD at ${where}: the file is not valid UTF-8 there (or holds U+FFFD itself); save it as UTF-8 and write the intended character`,
    );
  }
  const directive = DIRECTIVE.exec(text);
  if (directive) {
    const end = text.slice(directive.index, directive.index + 40).search(/\s/);
    const name = text.slice(
      directive.index,
      end === -1 ? directive.index + 40 : directive.index + end,
    );
    return at(
      directive.index,
      where =>
        `a YAML directive ("${name}") at ${where}: a leaf has none (its YAML version is fixed and it uses no tags); remove the line`,
    );
  }
  const entries = tooManyEntriesAt(text, MAX_LEAF_ENTRIES);
  if (entries !== undefined) {
    return at(
      entries,
      where =>
        `more YAML structure than a leaf has: over ${MAX_LEAF_ENTRIES.toLocaleString('en-US')} newlines, commas, colons and quotes (the limit is passed at ${where}); a leaf has a few hundred: keep one service's settings in it`,
    );
  }
  const deep = tooDeepAt(text, MAX_NESTING_DEPTH);
  if (deep !== undefined) {
    const { line, column } = positionAt(text, deep);
    return {
      path: '(document)',
      line,
      column,
      message: `nesting deeper than ${MAX_NESTING_DEPTH} levels at line ${line}; a leaf is a few levels deep`,
    };
  }
  return undefined;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r';

/** Offset of the (max + 1)th newline, comma, colon or quote, or undefined: one pass. */
function tooManyEntriesAt(text: string, max: number): number | undefined {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \n , : " '
    if (
      (c === 0x0a || c === 0x2c || c === 0x3a || c === 0x22 || c === 0x27) &&
      ++count > max
    )
      return i;
  }
  return undefined;
}

/**
 * The offset where the nesting first goes deeper than `max` levels, counting block levels
 * (indentation, and "- " / "? " on one line) and flow levels ("[", "{") together; quoted
 * scalars, comments and block scalars' content are skipped. One pass, no recursion: an
 * over-approximation of the YAML structure, good enough to refuse what is absurdly deep
 * before a recursive parser sees it.
 */
export function tooDeepAt(text: string, max: number): number | undefined {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let blockScalarParent = -1;
  let i = 0;
  while (i < n) {
    // start of a line
    const lineStart = i;
    while (i < n && text[i] === ' ') i++;
    const indent = i - lineStart;
    if (
      i >= n ||
      text[i] === '\n' ||
      (flow === 0 && text[i] === '#') ||
      (flow === 0 &&
        isSpace(text[i]) &&
        /^[ \t\r]*(#|\n|$)/.test(text.slice(i, i + 64)))
    ) {
      // blank or comment-only line: no structure (a block scalar may go on)
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (blockScalarParent >= 0) {
      if (indent > blockScalarParent) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? n : eol + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    let prev = '\n';
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1] > indent)
        indents.pop();
      if (!indents.length || indents[indents.length - 1] < indent)
        indents.push(indent);
      // compact nesting on one line: "- - key: x", "? - x"
      while (
        (text[i] === '-' || text[i] === '?') &&
        (i + 1 >= n || isSpace(text[i + 1]) || text[i + 1] === '\n')
      ) {
        i++;
        while (i < n && isSpace(text[i])) i++;
        indents.push(i - lineStart);
        if (indents.length > max) return i;
      }
      if (indents.length > max) return i;
    }
    // the rest of the line (and, inside flow collections or quotes, the lines after it)
    let endOfLine = false;
    while (i < n && !endOfLine) {
      const c = text[i];
      const nodeStart =
        prev === '\n' ||
        (flow > 0 && (prev === '[' || prev === '{' || prev === ',')) ||
        ((prev === ':' || prev === '-' || prev === '?') &&
          (flow > 0 || isSpace(text[i - 1])));
      if (c === '\n') {
        if (flow === 0) endOfLine = true;
        i++;
      } else if (isSpace(c)) {
        i++;
      } else if (
        c === '#' &&
        (i === 0 || isSpace(text[i - 1]) || text[i - 1] === '\n')
      ) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? n : eol;
      } else if (nodeStart && (c === '[' || c === '{')) {
        flow++;
        if (indents.length + flow > max) return i;
        prev = c;
        i++;
      } else if (flow > 0 && (c === ']' || c === '}')) {
        flow--;
        prev = c;
        i++;
      } else if (flow > 0 && c === ',') {
        prev = c;
        i++;
      } else if (nodeStart && (c === '"' || c === "'")) {
        // a quoted scalar, to its closing quote (it may span lines)
        i++;
        while (i < n) {
          if (c === '"' && text[i] === '\\') i += 2;
          else if (text[i] === c) {
            if (c === "'" && text[i + 1] === "'") i += 2;
            else break;
          } else i++;
        }
        i++;
        prev = c;
      } else if (nodeStart && (c === '&' || c === '!')) {
        // an anchor or tag: the node follows it
        while (i < n && !isSpace(text[i]) && text[i] !== '\n') i++;
      } else if (nodeStart && flow === 0 && (c === '|' || c === '>')) {
        blockScalarParent = indents.length ? indents[indents.length - 1] : 0;
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? n : eol;
      } else {
        prev = c;
        i++;
      }
    }
  }
  return undefined;
}

/** A field path or message cut to `max` characters (a key may be as long as the file). */
const clip = (s: string, max: number) =>
  s.length <= max ? s : `${s.slice(0, max - 1)}…`;

/**
 * At most MAX_REPORTED_ISSUES, then one problem that counts the rest; paths and messages
 * of bounded length. The output of one file stays a few KB whatever the file holds.
 */
function capIssues(
  all: PositionedIssue[],
  total = all.length,
): PositionedIssue[] {
  const issues = all.map(issue => ({
    ...issue,
    path: clip(issue.path, 200),
    message: clip(issue.message, 1000),
  }));
  if (total <= MAX_REPORTED_ISSUES) return issues;
  const kept = issues.slice(0, MAX_REPORTED_ISSUES);
  const next = issues[MAX_REPORTED_ISSUES] ?? kept[kept.length - 1];
  const more = total - MAX_REPORTED_ISSUES;
  return [
    ...kept,
    {
      path: '(document)',
      line: next.line,
      column: next.column,
      message: `... and ${more.toLocaleString('en-US')} more problem${more === 1 ? '' : 's'} (only the first ${MAX_REPORTED_ISSUES} are shown)`,
    },
  ];
}

/** The full parse: the `yaml` package's document, with a position for every problem. */
export function parseWithPositions(
  text: string,
  options: ParseLeafOptions = {},
): LeafFileResult {
  const refused =
    sizeIssue(text, options.maxBytes ?? DEFAULT_MAX_LEAF_BYTES) ??
    textIssue(text);
  if (refused) return { valid: false, issues: [refused] };
  return fullParse(text, options);
}

/** The full parse of checked text; `validated` when the fast path already validated the same value. */
function fullParse(
  text: string,
  options: ParseLeafOptions,
  validated?: ReturnType<typeof validateLeaf>,
): LeafFileResult {
  const lineCounter = new LineCounter();
  // The yaml package makes an Error (YAMLError) for every problem and warning, and V8
  // captures a stack trace for each: 64,000 unknown tags in a 1 MB file took 25 s, nearly
  // all of it there. Their stacks are never read, so none is captured while parsing.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      // checked below in linear time (the yaml package compares each key with every other)
      uniqueKeys: false,
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const errors = [
    ...doc.errors.map(err => ({
      code: err.code as string,
      message: err.message,
      offset: err.pos[0],
    })),
    ...duplicateKeys(doc).map(offset => ({
      code: 'DUPLICATE_KEY',
      message: '',
      offset,
    })),
  ].sort((a, b) => a.offset - b.offset);
  if (errors.length > 0) {
    return {
      valid: false,
      issues: capIssues(
        errors.slice(0, MAX_REPORTED_ISSUES + 1).map(err => {
          const code = /multiple documents/i.test(err.message)
            ? 'MULTIPLE_DOCS'
            : err.code;
          // the message without the position the issue carries anyway
          const cut = err.message.search(/ at line \d+, column \d+/);
          const raw = (
            cut === -1 ? err.message : err.message.slice(0, cut)
          ).trimEnd();
          const message =
            YAML_MESSAGES[code]?.(raw) ?? `YAML syntax error: ${raw}`;
          const path =
            code === 'MULTIPLE_DOCS'
              ? undefined
              : pathAtOffset(doc, err.offset);
          return {
            path: path ? formatPath(path) : '(document)',
            message,
            ...pos(err.offset),
          };
        }),
        errors.length,
      ),
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
  const result = validated ?? validateLeaf(value, options);
  const ambiguous = yaml11Scalars(doc);
  if (result.valid && ambiguous.length === 0)
    return { valid: true, leaf: result.leaf, value, issues: [], positionOf };
  const issues = [
    ...(result.valid ? [] : result.issues).map(issue => ({
      path: formatPath(issue.path),
      message: issue.message,
      ...pos(offsetOf(doc, issue)),
    })),
    ...ambiguous.map(({ path, text: scalar, offset, atKey }) => ({
      path: path.length ? formatPath(path) : '(document)',
      message: yaml11Message(scalar, atKey),
      ...pos(offset),
    })),
  ];
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return { valid: false, value, issues: capIssues(issues), positionOf };
}

/**
 * Offsets of keys that repeat an earlier key of the same mapping, as the yaml package's
 * uniqueKeys finds them (scalar keys of equal value), with one Set per mapping.
 */
function duplicateKeys(doc: Document): number[] {
  const found: number[] = [];
  const walk = (node: unknown) => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) found.push(key.range?.[0] ?? 0);
          else seen.add(id);
        }
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  return found;
}

/** The first pair of a mapping with a key, through an index built once per mapping. */
const pairIndexes = new WeakMap<object, Map<string, Pair>>();
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items as Pair[]) {
      const k = keyOf(pair.key);
      if (k !== undefined && !index.has(k)) index.set(k, pair);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

/**
 * Plain scalars, keys and values, that YAML 1.1 readers (Helm, Argo CD) and YAML 1.2 (this
 * parser) read differently, or that look like a boolean, null or number to one of them
 * (yaml11LookAlike): they must be quoted, or written as a plain number.
 */
function yaml11Scalars(doc: Document): {
  path: FieldPath;
  text: string;
  offset: number;
  atKey: boolean;
}[] {
  const found: {
    path: FieldPath;
    text: string;
    offset: number;
    atKey: boolean;
  }[] = [];
  const check = (node: unknown, path: FieldPath, atKey: boolean) => {
    if (!isScalar(node) || node.type !== 'PLAIN') return;
    const text =
      typeof node.source === 'string' ? node.source : String(node.value);
    if (yaml11LookAlike(text))
      found.push({ path, text, offset: node.range?.[0] ?? 0, atKey });
  };
  const walk = (node: unknown, path: FieldPath) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyOf(pair.key);
        if (key === undefined) continue;
        check(pair.key, [...path, key], true);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else {
      check(node, path, false);
    }
  };
  walk(doc.contents, []);
  return found;
}

/** Why a plain scalar must be quoted: how YAML 1.1 (Helm, Argo CD) and YAML 1.2 read it. */
function yaml11Message(text: string, atKey = false): string {
  const what = atKey ? 'key' : 'value';
  const kind = yaml11LookAlike(text);
  if (kind === 'boolean') {
    return YAML11_BOOLEAN.test(text)
      ? `write "${text}" in quotes: unquoted, Helm and Argo CD (YAML 1.1) read it as true or false, not as the text "${text}"`
      : `write "${text}" in quotes: unquoted, it is a spelling of a YAML 1.1 boolean (y/n/yes/no/on/off), which YAML readers may take for true or false`;
  }
  if (kind === 'null' && !/^(?:~|null|Null|NULL)$/.test(text)) {
    return `write "${text}" in quotes: unquoted, it is a spelling of null (~/null), which YAML readers may take for no ${what}`;
  }
  if (kind === 'null') {
    return `write "${text}" in quotes: unquoted, YAML reads it as null (no ${what}), not as the text "${text}"${atKey ? '' : '; leave the field out for no value'}`;
  }
  const describe = (v: unknown) =>
    typeof v === 'number' ? `the number ${v}` : `the text "${String(v)}"`;
  const helm: unknown = goYamlNumber(text) ?? text;
  const v12: unknown = parseDocument(text).toJS();
  const v11: unknown = parseDocument(text, { version: '1.1' }).toJS();
  const example = [v12, helm, v11].find(v => typeof v === 'number');
  let readings: string;
  if (helm === v12 && v11 === v12)
    readings = `YAML readers disagree on a number written with a plus sign (js-yaml reads some as text)`;
  else if (helm === v12)
    readings = `Helm and Argo CD (go-yaml) read it as ${describe(helm)}, as this CLI (YAML 1.2) does, but other YAML 1.1 readers as ${describe(v11)}`;
  else
    readings = `Helm and Argo CD (go-yaml, YAML 1.1) read it as ${describe(helm)} and this CLI (YAML 1.2) as ${describe(v12)}${v11 === helm ? '' : `, other YAML 1.1 readers as ${describe(v11)}`}`;
  return `write "${text}" in quotes for the text, or write a plain number${example === undefined ? '' : ` such as ${example}`}: unquoted, ${readings}`;
}

const GO_INT =
  /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * The number go-yaml (Helm's and Argo CD's YAML reader, sigs.k8s.io/yaml) makes of a plain
 * scalar: "_" removed, then Go's ParseInt with base prefixes (0x, 0o, 0b, a leading 0 for
 * octal) or a float; undefined when go-yaml reads text (it has no base 60).
 */
function goYamlNumber(text: string): number | undefined {
  const plain = text.replace(/_/g, '');
  const int = GO_INT.exec(plain);
  if (int) {
    const digits = int[2];
    let n: number;
    if (/^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16);
    else if (/^0[oO]/.test(digits)) n = parseInt(digits.slice(2), 8);
    else if (/^0[bB]/.test(digits)) n = parseInt(digits.slice(2), 2);
    else if (digits.length > 1)
      n = parseInt(digits, digits[0] === '0' ? 8 : 10);
    else n = Number(digits);
    return int[1] === '-' ? -n : n;
  }
  return GO_FLOAT.test(plain) ? parseFloat(plain) : undefined;
}

/** Where an issue points: the key for key problems, else the value, else the nearest parent. */
function offsetOf(doc: Document, issue: LeafIssue): number {
  const path = issue.path;
  for (let n = path.length; n >= 0; n--) {
    const parentPath = path.slice(0, Math.max(0, n - 1));
    const parent = n === 0 ? null : doc.getIn(parentPath, true);
    if (n > 0 && isMap(parent)) {
      const pair = pairOf(parent, String(path[n - 1]));
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
