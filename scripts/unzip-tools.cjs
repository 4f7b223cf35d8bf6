#!/usr/bin/env node
/* Extracts named entries of a zip archive into a folder (as executables), using only
 * Node's zlib: the toolchain must not depend on an `unzip` binary being installed.
 * usage: unzip-tools.cjs ARCHIVE DEST ENTRY... (an entry is stored as DEST/<basename>)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const [archive, dest, ...entries] = process.argv.slice(2);
if (!archive || !dest || entries.length === 0) {
  console.error('usage: unzip-tools.cjs ARCHIVE DEST ENTRY...');
  process.exit(2);
}
const buf = fs.readFileSync(archive);
// End of central directory record: signature 0x06054b50, searched from the end.
let eocd = -1;
for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
  if (buf.readUInt32LE(i) === 0x06054b50) {
    eocd = i;
    break;
  }
}
if (eocd < 0) throw new Error(`${archive}: not a zip archive`);
const count = buf.readUInt16LE(eocd + 10);
let p = buf.readUInt32LE(eocd + 16);
const wanted = new Set(entries);
fs.mkdirSync(dest, { recursive: true });
for (let n = 0; n < count; n++) {
  if (buf.readUInt32LE(p) !== 0x02014b50)
    throw new Error('corrupt central directory');
  const method = buf.readUInt16LE(p + 10);
  const compSize = buf.readUInt32LE(p + 20);
  const nameLen = buf.readUInt16LE(p + 28);
  const extraLen = buf.readUInt16LE(p + 30);
  const commentLen = buf.readUInt16LE(p + 32);
  const localOffset = buf.readUInt32LE(p + 42);
  const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
  p += 46 + nameLen + extraLen + commentLen;
  if (!wanted.has(name)) continue;
  const lNameLen = buf.readUInt16LE(localOffset + 26);
  const lExtraLen = buf.readUInt16LE(localOffset + 28);
  const start = localOffset + 30 + lNameLen + lExtraLen;
  const raw = buf.subarray(start, start + compSize);
  const data = method === 0 ? raw : zlib.inflateRawSync(raw);
  const out = path.join(dest, path.basename(name));
  fs.writeFileSync(`${out}.tmp`, data, { mode: 0o755 });
  fs.renameSync(`${out}.tmp`, out);
  wanted.delete(name);
}
if (wanted.size > 0)
  throw new Error(`not in ${archive}: ${[...wanted].join(', ')}`);
