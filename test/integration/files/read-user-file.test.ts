import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FILE_LIMITS } from '../../../shared/contract/limits';
import { FileReadError, readUserFile, readUserText } from '../../../electron/services/files/read-user-file';
import { tempDirs } from '../../fixtures/temp-dirs';
import { runCli } from '../cli/run-cli';

const tmp = tempDirs('wb-files-');

function refusal(fn: () => unknown): FileReadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FileReadError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

/** A sparse file of `bytes`: as large as it says, without using the disk. */
function sparse(file: string, bytes: number): string {
  writeFileSync(file, '');
  truncateSync(file, bytes);
  return file;
}

const protocol = (name = 'p') => JSON.stringify({ format: 'memristor-workbench/protocol', version: 1, name, blocks: [{ kind: 'read' }] });

describe('reading a user’s file', () => {
  it('reads a regular file within its cap, and strips a UTF-8 byte-order mark from text', () => {
    const file = path.join(tmp(), 'p.json');
    writeFileSync(file, `\uFEFF${protocol()}`);
    expect(readUserText(file, 'protocol')).toBe(protocol());
    expect(readUserFile(file, 'protocol').length).toBe(Buffer.byteLength(`\uFEFF${protocol()}`));
  });

  it('refuses UTF-16 (with or without its byte-order mark) and binary text by name, and reads any UTF-8 text without a NUL as written', () => {
    const dir = tmp();
    const file = path.join(dir, 'text.csv');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.boolean(), (text, bom) => {
        const ascii = text.replace(/[^\x01-\x7f]/g, 'x');
        writeFileSync(file, Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(ascii, 'utf16le')]));
        const e = refusal(() => readUserText(file, 'csv'));
        expect(e.reason).toBe('not-text');
        expect(e.message).toBe(`CSV file ${file} is UTF-16 text; the workbench reads UTF-8: save it as UTF-8 and try again`);
        const utf8 = text.replace(/\0/g, ' ');
        writeFileSync(file, utf8);
        expect(readUserText(file, 'csv')).toBe(utf8.replace(/^\uFEFF/, ''));
      }),
    );
    writeFileSync(file, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x00, 0x7d]));
    expect(refusal(() => readUserText(file, 'protocol')).message).toBe(`protocol ${file} is not a text file (byte 5 is a NUL byte): is it the right file?`);
    // The command line says so in one line, for each kind of text file.
    const utf16 = path.join(dir, 'utf16.json');
    writeFileSync(utf16, Buffer.from(`\uFEFF${protocol()}`, 'utf16le'));
    for (const [args, message] of [
      [['protocol', 'validate', utf16], `protocol ${utf16} is UTF-16 text`],
      [['characterize', '--device', utf16], `device preset ${utf16} is UTF-16 text`],
      [['reproduce', '--experiment', utf16], `experiment file ${utf16} is UTF-16 text`],
      [['fit', '--csv', utf16], `CSV file ${utf16} is UTF-16 text`],
    ] as const) {
      const r = runCli([...args], { env: { WORKBENCH_DATA_DIR: tmp() } });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\uFFFD|\\u0000/);
    }
  });

  it('refuses a device, a pipe and a folder before reading a byte, naming the path', () => {
    const zero = refusal(() => readUserFile('/dev/zero', 'protocol'));
    expect(zero.reason).toBe('not-a-file');
    expect(zero.code).toBe('invalid_request');
    expect(zero.message).toBe('protocol /dev/zero is not a regular file (it is a device, a pipe or a socket); the workbench reads a protocol only from a file');
    expect(refusal(() => readUserFile('/dev/zero', 'experiment')).message).toContain('the workbench reads an experiment file only from a file');
    const fifo = path.join(tmp(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    // No writer: a blocking open would wait here forever.
    expect(refusal(() => readUserFile(fifo, 'csv')).message).toContain(`CSV file ${fifo} is not a regular file`);
    const folder = tmp();
    expect(refusal(() => readUserFile(folder, 'experiment')).message).toBe(`experiment file ${folder} is a folder, not a file`);
    const missing = path.join(folder, 'nope.json');
    expect(refusal(() => readUserFile(missing, 'preset')).reason).toBe('missing');
  });

  it('refuses a file over its kind’s cap, naming the path and the cap', () => {
    const dir = tmp();
    const big = sparse(path.join(dir, 'big.json'), FILE_LIMITS.protocol + 1);
    const e = refusal(() => readUserFile(big, 'protocol'));
    expect(e.reason).toBe('too-large');
    expect(e.message).toBe(`protocol ${big} is 4.77 MiB; a protocol may be at most 5 MB`);
    expect(refusal(() => readUserFile(big, 'experiment')).message).toBe(`experiment file ${big} is 4.77 MiB; an experiment file may be at most 5 MB`);
    const bundle = sparse(path.join(dir, 'huge.sqlite'), FILE_LIMITS.bundle + 1);
    expect(refusal(() => readUserFile(bundle, 'bundle')).message).toBe(`bundle ${bundle} is 2 GiB; a bundle may be at most 2 GiB`);
    // At the cap exactly it is read.
    const edge = sparse(path.join(dir, 'edge.csv'), 1000);
    expect(readUserFile(edge, 'csv').length).toBe(1000);
  });
});

describe('the CLI reads only regular files within their cap', () => {
  // Each would read until memory ran out (12 GB, 6 GB) before: here, refused at once.
  const cases: [string, string[], string][] = [
    ['protocol validate', ['protocol', 'validate', '/dev/zero'], 'protocol /dev/zero is not a regular file'],
    ['protocol estimate', ['protocol', 'estimate', '/dev/zero'], 'protocol /dev/zero is not a regular file'],
    ['simulate --protocol', ['simulate', '--device', 'ideal', '--protocol', '/dev/zero'], 'protocol /dev/zero is not a regular file'],
    ['simulate --device', ['simulate', '--device', '/dev/zero', '--protocol', 'paper-spike-train'], 'device preset /dev/zero is not a regular file'],
    ['fit --csv', ['fit', '--csv', '/dev/zero'], 'CSV file /dev/zero is not a regular file'],
    ['reproduce --experiment', ['reproduce', '--experiment', '/dev/zero'], 'experiment file /dev/zero is not a regular file'],
  ];
  for (const [what, args, message] of cases) {
    it(`${what} /dev/zero: exit 1 with the path`, () => {
      const r = runCli(args, { timeoutMs: 60_000, env: { WORKBENCH_DATA_DIR: tmp() } });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(message);
    });
  }

  it('import /dev/zero: exit 1, and no data folder is even created', () => {
    const dataDir = path.join(tmp(), 'data');
    const r = runCli(['import', '/dev/zero', '--data-dir', dataDir], { timeoutMs: 60_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('bundle /dev/zero is not a regular file');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('protocol validate refuses an oversized file and accepts one with a byte-order mark', () => {
    const dir = tmp();
    const big = sparse(path.join(dir, 'big.json'), 6_000_000);
    const refused = runCli(['protocol', 'validate', big]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('a protocol may be at most 5 MB');
    const bom = path.join(dir, 'bom.json');
    writeFileSync(bom, `\uFEFF${protocol('with a BOM')}`);
    const accepted = runCli(['protocol', 'validate', bom]);
    expect(accepted.stderr).toBe('');
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toContain("a valid protocol, 'with a BOM'");
    mkdirSync(path.join(dir, 'folder.json'));
    expect(runCli(['protocol', 'validate', path.join(dir, 'folder.json')]).stderr).toContain('is a folder, not a file');
  });
});
