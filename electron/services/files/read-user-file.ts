/**
 * The one way the Node side reads a file a person named (a protocol, a device preset, an RL
 * experiment, a measured CSV, a bundle): only a regular file, and only up to the cap of its kind
 * (FILE_LIMITS in shared/contract/limits.ts). A device such as /dev/zero, a pipe, a socket or a
 * folder is refused before a byte is read, and so is a file over its cap; each refusal names the
 * path and, for size, the cap. The CLI and the services both read through here.
 */
import fs from 'node:fs';
import { FILE_LIMITS, type FileKind } from '../../../shared/contract/limits';
import { ServiceError } from '../errors';

export type FileRefusal = 'missing' | 'not-a-file' | 'too-large' | 'unreadable' | 'not-text';

/** A user's file that was not read, and why. */
export class FileReadError extends ServiceError {
  override name = 'FileReadError';
  constructor(
    readonly file: string,
    readonly reason: FileRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('invalid_request', message, { file, reason }, options);
  }
}

const KIND_NAMES: Readonly<Record<FileKind, string>> = {
  protocol: 'protocol',
  preset: 'device preset',
  experiment: 'experiment file',
  csv: 'CSV file',
  bundle: 'bundle',
};

/** "5 MB", "2 GiB": sizes as the limits are written. */
export function formatFileSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  if (bytes % 1_000_000 === 0 && bytes >= 1_000_000) return `${bytes / 1_000_000} MB`;
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toPrecision(3))} ${unit}`;
  return `${bytes} bytes`;
}

/** The bytes of a regular file of at most FILE_LIMITS[kind] bytes; FileReadError otherwise. */
export function readUserFile(file: string, kind: FileKind): Buffer {
  const what = `${KIND_NAMES[kind]} ${file}`;
  const cap = FILE_LIMITS[kind];
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw openError(file, what, e);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new FileReadError(file, 'not-a-file', `${what} is a folder, not a file`);
    if (!st.isFile()) {
      throw new FileReadError(file, 'not-a-file', `${what} is not a regular file (it is a device, a pipe or a socket); the workbench reads ${withArticle(KIND_NAMES[kind])} only from a file`);
    }
    if (st.size > cap) throw tooLarge(file, what, kind, st.size);
    // Read one byte past the cap: a file that grows while we read is refused too, not cut short.
    const buffer = Buffer.allocUnsafe(Math.min(st.size, cap) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) {
        if (length > cap) throw tooLarge(file, what, kind, null);
        break;
      }
    }
    return buffer.subarray(0, length);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw new FileReadError(file, 'unreadable', `cannot read ${what}: ${(e as Error).message}`, { cause: e });
  } finally {
    fs.closeSync(fd);
  }
}

/** The text of a user's file as UTF-8, without a byte-order mark (editors on Windows write one). */
export function readUserText(file: string, kind: FileKind): string {
  return userText(file, kind, readUserFile(file, kind));
}

/** The bytes of a user's file (read, or gunzipped from it) as its UTF-8 text, refused by name when they are not text. */
export function userText(file: string, kind: FileKind, bytes: Uint8Array): string {
  checkText(file, kind, bytes);
  return stripBom(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

/**
 * UTF-16 (what Windows' "Unicode" save and Excel's "Unicode text" write) and binary files are
 * refused by name: decoded as UTF-8 they became a parse error quoting mojibake ("Unexpected token
 * '\uFFFD'", "found: \uFFFD\uFFFDt\u0000"), which does not tell anyone to save the file as UTF-8.
 * Text never holds a NUL byte; UTF-16 of ASCII holds one in every other byte.
 */
function checkText(file: string, kind: FileKind, bytes: Uint8Array): void {
  const what = `${KIND_NAMES[kind]} ${file}`;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const nul = bytes.indexOf(0);
  if (utf16 || (nul >= 0 && bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0))) {
    throw new FileReadError(file, 'not-text', `${what} is UTF-16 text; the workbench reads UTF-8: save it as UTF-8 and try again`);
  }
  if (nul >= 0) throw new FileReadError(file, 'not-text', `${what} is not a text file (byte ${nul} is a NUL byte): is it the right file?`);
}

/** 'a protocol', 'an experiment file'. */
const withArticle = (noun: string) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** `size` null: it grew past the cap while being read. */
function tooLarge(file: string, what: string, kind: FileKind, size: number | null): FileReadError {
  const cap = formatFileSize(FILE_LIMITS[kind]);
  const is = size === null ? `is larger than ${cap}` : `is ${formatFileSize(size)}`;
  return new FileReadError(file, 'too-large', `${what} ${is}; ${withArticle(KIND_NAMES[kind])} may be at most ${cap}`);
}

function openError(file: string, what: string, e: unknown): FileReadError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FileReadError(file, 'missing', `${what} does not exist`, { cause: e });
  if (code === 'EISDIR') return new FileReadError(file, 'not-a-file', `${what} is a folder, not a file`, { cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new FileReadError(file, 'unreadable', `${what} cannot be read: permission denied`, { cause: e });
  return new FileReadError(file, 'unreadable', `cannot read ${what}: ${(e as Error).message}`, { cause: e });
}
