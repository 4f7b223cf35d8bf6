/*
 * Reading one leaf file with its size bounded while reading: at most maxBytes + 1 bytes are
 * read, whatever the file claims or grows to, so a huge file is refused after one small
 * read, and the bytes are decoded as strict UTF-8 (an invalid byte is reported where it is).
 */
import fs from 'node:fs';
import type { PositionedIssue } from '@workload-catalog/plugin-workload-catalog-common';

/** The option that sets the limit, named in the message of a file over it. */
export const MAX_LEAF_KIB_FLAG = '--max-leaf-kib';

export type ReadLeafText =
  | { text: string; issue?: undefined }
  | { text?: undefined; issue: PositionedIssue };

const kib = (bytes: number) =>
  `${(Math.ceil((bytes / 1024) * 10) / 10).toLocaleString('en-US')} KiB`;

function documentIssue(message: string, line = 1, column = 1): ReadLeafText {
  return { issue: { path: '(document)', line, column, message } };
}

/**
 * The text of `file`, or the one problem that refuses it: more than `maxBytes` bytes, or
 * not UTF-8. The file is opened once; a growing file is cut at maxBytes + 1 bytes.
 */
export function readLeafText(file: string, maxBytes: number): ReadLeafText {
  const fd = fs.openSync(file, 'r');
  let buffer: Buffer;
  let size: number;
  try {
    const claimed = fs.fstatSync(fd).size;
    buffer = Buffer.allocUnsafe(Math.min(claimed, maxBytes) + 1);
    let read = 0;
    while (read < buffer.length) {
      const n = fs.readSync(fd, buffer, read, buffer.length - read, null);
      if (n === 0) break;
      read += n;
    }
    size = read;
    if (read > maxBytes) {
      const over =
        claimed > maxBytes
          ? `is ${kib(claimed)}`
          : `has more than ${kib(maxBytes)}`;
      return documentIssue(
        `file ${over}; a leaf may be at most ${kib(maxBytes)} (${maxBytes.toLocaleString('en-US')} bytes). Split what it holds, or raise the limit with ${MAX_LEAF_KIB_FLAG} N`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
  const bytes = buffer.subarray(0, size);
  try {
    // ignoreBOM keeps a byte order mark in the text, where the leaf parser refuses it
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
        bytes,
      ),
    };
  } catch {
    return invalidUtf8(bytes);
  }
}

/** Where the first byte that is not part of a UTF-8 character is, as line and column. */
function invalidUtf8(bytes: Buffer): ReadLeafText {
  const offset = firstInvalidUtf8(bytes);
  if (offset === -1)
    return documentIssue('file is not valid UTF-8; save the file as UTF-8');
  const before = bytes.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  let line = 1;
  for (let i = before.indexOf(0x0a); i !== -1; i = before.indexOf(0x0a, i + 1))
    line++;
  // the line up to the bad byte is valid UTF-8: its length in characters is the column
  const column = before.subarray(lineStart).toString('utf8').length + 1;
  const hex = bytes[offset].toString(16).toUpperCase().padStart(2, '0');
  return documentIssue(
    `file is not valid UTF-8: byte 0x${hex} (byte ${offset + 1} of the file) is not part of a UTF-8 character; save the file as UTF-8`,
    line,
    column,
  );
}

/** Offset of the first byte of the first invalid UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f; // nothing above U+10FFFF
    } else {
      return i;
    }
    const second = bytes[i + 1];
    if (second === undefined || second < min || second > max) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}
