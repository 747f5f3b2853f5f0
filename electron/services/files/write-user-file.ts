/**
 * Writing a file a person named as a command's output (e.g. `tune --write FILE`), the way that
 * loses nothing: the place is checked before the work that fills it starts (a folder that does not
 * exist, or a target that is a folder, would otherwise fail only at the end, after minutes of
 * computing), and the file is replaced whole (written beside it, then renamed), so a kill or a full
 * disk mid-write never leaves half a file — which matters when the output is the input itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../errors';

/** Throws, naming the file and the flag, when `file` cannot be written as an output; else returns it resolved. */
export function checkOutputPath(file: string, flag: string): string {
  const full = path.resolve(file);
  const dir = path.dirname(full);
  const refuse = (why: string) => new ServiceError('invalid_request', `${flag} ${full}: ${why}`, { file: full });
  let folder: fs.Stats;
  try {
    folder = fs.statSync(dir);
  } catch {
    throw refuse(`the folder ${dir} does not exist`);
  }
  if (!folder.isDirectory()) throw refuse(`${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw refuse(`the folder ${dir} cannot be written to`);
  }
  const target = fs.statSync(full, { throwIfNoEntry: false });
  if (target?.isDirectory()) throw refuse('it is a folder, not a file');
  if (target && !target.isFile()) throw refuse('it is not a regular file');
  return full;
}

/** Replaces `file` with `text` in one step (a temporary file beside it, then a rename). */
export function writeFileWhole(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new ServiceError('internal', `cannot write ${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
}
