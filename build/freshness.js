// Whether a build in dist/ still matches its sources, and one builder at a time.
//
// A build writes a stamp: every file it read (the bundler says which: esbuild's metafile, Rollup's
// module ids) with its size and modification time. The build is fresh while every listed file still
// has exactly that size and time: an edit, a checkout, a `git stash`, a restored older copy or a
// deleted file all change one of them. A new file only matters once an existing file imports it,
// and that import is an edit. Checking is one stat per input (a few hundred, a few milliseconds),
// so the `workbench` command does it at every start without reading any source.
//
// Plain JavaScript with no dependencies: electron/bin/workbench.js loads it before anything is built.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

const STAMP_VERSION = 1;

/** The stamp at `file`, or null when there is none or it is not one of ours. */
export function readStamp(file) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!stamp || stamp.version !== STAMP_VERSION || !Array.isArray(stamp.inputs)) return null;
  return stamp;
}

/** True when every input the stamp lists still has the size and modification time it was built from. */
export function inputsUnchanged(stamp, root) {
  for (const entry of stamp.inputs) {
    if (!Array.isArray(entry) || entry.length !== 3) return false;
    const [rel, size, mtimeMs] = entry;
    const info = statSync(path.resolve(root, rel), { throwIfNoEntry: false });
    if (!info || info.size !== size || info.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/**
 * The stamp for a build that ran from `startedAt` to `finishedAt` (Date.now() values) and read
 * `inputs` (paths relative to `root`), or null when an input changed while the bundler was reading
 * it: that build may hold a mix of old and new, so it gets no stamp and the next start builds again.
 */
export function makeStamp(root, inputs, startedAt, extra = {}, finishedAt = Date.now()) {
  const listed = [];
  for (const rel of [...new Set(inputs)].sort()) {
    const info = statSync(path.resolve(root, rel), { throwIfNoEntry: false });
    if (!info) return null;
    // File times come from a coarse kernel clock that may lag Date.now() by a tick: the margins err
    // towards building once more rather than missing an edit. A time after the build ended is a
    // file dated in the future (unpacked from a machine whose clock runs ahead), not an edit made
    // during the build; refusing it would rebuild at every start.
    if (info.mtimeMs > startedAt - 20 && info.mtimeMs < finishedAt + 20) return null;
    listed.push([rel.split(path.sep).join('/'), info.size, info.mtimeMs]);
  }
  return { version: STAMP_VERSION, ...extra, inputs: listed };
}

/** Writes a file so that a reader sees either the old content or the new, never half of it. */
export function writeFileAtomic(file, content) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

function holderIsGone(lockFile) {
  let text;
  let age;
  try {
    text = readFileSync(lockFile, 'utf8').trim();
    age = Date.now() - statSync(lockFile).mtimeMs;
  } catch {
    return false; // released meanwhile: the next attempt takes it
  }
  const pid = Number(text);
  // A holder writes its pid right after creating the file; an empty file for long means it died there.
  if (!Number.isInteger(pid) || pid <= 0) return age > 5_000;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'ESRCH';
  }
  return age > 15 * 60_000; // a pid that lives this long is a new process that reused the number
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding `lockFile` (created exclusively; removed afterwards, also on a throw).
 * Several processes that find a build stale at once (the test runner starts many) build it once:
 * the others wait here, then find it fresh. A lock left by a process that died is taken over.
 */
export async function withLock(lockFile, fn, { onWait } = {}) {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  let waited = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (holderIsGone(lockFile)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (!waited) onWait?.();
    waited = true;
    await sleep(100);
  }
  try {
    return await fn(waited);
  } finally {
    rmSync(lockFile, { force: true });
  }
}
