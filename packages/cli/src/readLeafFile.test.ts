import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstInvalidUtf8, readLeafText } from './readLeafFile';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-read-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readLeafText', () => {
  it('reads a file up to the limit', () => {
    const file = path.join(tmp, 'a.yaml');
    fs.writeFileSync(file, 'x'.repeat(1024));
    expect(readLeafText(file, 1024)).toEqual({ text: 'x'.repeat(1024) });
  });

  it('refuses one byte more, naming the limit and the flag that sets it', () => {
    const file = path.join(tmp, 'a.yaml');
    fs.writeFileSync(file, 'x'.repeat(1025));
    expect(readLeafText(file, 1024).issue).toEqual({
      path: '(document)',
      line: 1,
      column: 1,
      message:
        'file is 1.1 KiB; a leaf may be at most 1 KiB (1,024 bytes). Split what it holds, or raise the limit with --max-leaf-kib N',
    });
  });

  it('reads no more than the limit + 1 byte, whatever the file holds', () => {
    const file = path.join(tmp, 'a.yaml');
    fs.writeFileSync(file, 'x'.repeat(1 << 20));
    const readSync = jest.spyOn(fs, 'readSync');
    try {
      readLeafText(file, 100);
      const asked = readSync.mock.calls.reduce(
        (sum, call) => sum + ((call as unknown[])[3] as number),
        0,
      );
      expect(asked).toBe(101);
    } finally {
      readSync.mockRestore();
    }
  });

  it('keeps a byte order mark for the parser to refuse', () => {
    const file = path.join(tmp, 'a.yaml');
    fs.writeFileSync(file, '\ufeffa: 1\n');
    expect(readLeafText(file, 1024).text).toBe('\ufeffa: 1\n');
  });

  it('reports the first byte that is not UTF-8 with its line and column (in characters)', () => {
    const file = path.join(tmp, 'a.yaml');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('a: 1\nb: \u00e9\u00e9'),
        Buffer.from([0xff]),
      ]),
    );
    expect(readLeafText(file, 1024).issue).toEqual({
      path: '(document)',
      line: 2,
      column: 6,
      message:
        'file is not valid UTF-8: byte 0xFF (byte 13 of the file) is not part of a UTF-8 character; save the file as UTF-8',
    });
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    ['ASCII', [0x61, 0x62], -1],
    [
      'two, three and four bytes',
      [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80],
      -1,
    ],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong form', [0xc0, 0x80], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0x80], 0],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a byte never used', [0xf5, 0x80, 0x80, 0x80], 0],
    ['a character cut off at the end', [0x61, 0xe2, 0x82], 1],
    ['a character cut off by ASCII', [0xe2, 0x41, 0x42], 0],
  ])('%s', (_name, bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes as number[]))).toBe(expected);
    // the decoder the CLI uses agrees on valid or not
    const valid = (() => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(
          Uint8Array.from(bytes as number[]),
        );
        return true;
      } catch {
        return false;
      }
    })();
    expect(valid).toBe(expected === -1);
  });
});
