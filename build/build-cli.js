// The `workbench` command line, bundled from electron/cli.ts with esbuild into dist/cli/, so a start
// runs JavaScript instead of compiling TypeScript (issue #17: `workbench --version` under 0.3 s).
//
//   node build/build-cli.js             build now
//   node build/build-cli.js --if-stale  build only when dist/cli is missing or older than its sources
//
// The bundle is split at the command line's dynamic imports (electron/cli/commands.ts), so
// `--version` loads a few kilobytes and each command loads only its own code. Every build goes into
// a folder of its own, dist/cli/<content hash>/, and dist/cli/current.json (written last, at once)
// names the current one with its stamp (build/freshness.js). A `workbench serve` started from an
// older build keeps loading its lazy chunks and worker threads from its own folder; the two
// previous builds are kept for such processes, older ones removed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputsUnchanged, makeStamp, readStamp, withLock, writeFileAtomic } from './freshness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BUILD_ID = /^[0-9a-f]{16}$/;
const KEEP_PREVIOUS = 2;

/** Files that shape the bundle without being modules of it. */
const BUILD_INPUTS = ['build/build-cli.js', 'build/esbuild-options.js', 'electron/tsconfig.json', 'tsconfig.base.json'];

const cliDir = (root) => path.join(root, 'dist', 'cli');
const stampFile = (root) => path.join(cliDir(root), 'current.json');

/** The entry file of a build that matches the sources, or null (missing, or a source changed). */
export function freshCliEntry(root) {
  const stamp = readStamp(stampFile(root));
  if (!stamp || typeof stamp.build !== 'string' || !BUILD_ID.test(stamp.build)) return null;
  const entry = path.join(cliDir(root), stamp.build, 'workbench.js');
  if (!existsSync(entry) || !inputsUnchanged(stamp, root)) return null;
  return entry;
}

/** Builds dist/cli and returns its entry file. */
export async function buildCli(root) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error(`esbuild is not installed, so the command line cannot be built: run \`npm ci\` (or \`npm install\`) in ${root}`);
  }
  const { esmRequireBanner, nodeBundleOptions, workerEntryPoints } = await import('./esbuild-options.js');
  const startedAt = Date.now();
  const staging = path.join(cliDir(root), 'staging');
  const result = await esbuild.build({
    ...nodeBundleOptions,
    absWorkingDir: root,
    entryPoints: { workbench: 'electron/cli.ts', ...workerEntryPoints },
    outdir: staging,
    format: 'esm',
    splitting: true,
    banner: esmRequireBanner,
    metafile: true,
    write: false,
  });
  const files = result.outputFiles
    .map((f) => ({ rel: path.relative(staging, f.path), contents: f.contents }))
    .sort((a, b) => (a.rel < b.rel ? -1 : 1));
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.rel}\0${f.contents.length}\0`).update(f.contents);
  const id = hash.digest('hex').slice(0, 16);
  const dir = path.join(cliDir(root), id);
  if (!existsSync(path.join(dir, 'workbench.js'))) {
    const tmp = path.join(cliDir(root), `.tmp-${process.pid}-${id}`);
    rmSync(tmp, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(path.dirname(path.join(tmp, f.rel)), { recursive: true });
      writeFileSync(path.join(tmp, f.rel), f.contents);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  // Paths esbuild read, relative to root; namespaced entries ("(disabled):…") are not files.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !/^\(|^<|^[a-z-]+:(?![\\/])/.test(p));
  const stamp = makeStamp(root, [...inputs, ...BUILD_INPUTS], startedAt, { build: id });
  if (stamp) writeFileAtomic(stampFile(root), `${JSON.stringify(stamp)}\n`);
  removeOldBuilds(root, id);
  return path.join(dir, 'workbench.js');
}

function removeOldBuilds(root, current) {
  const dir = cliDir(root);
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  const builds = entries
    .filter((e) => BUILD_ID.test(e.name) && e.name !== current)
    .map((e) => ({ name: e.name, mtime: statSync(path.join(dir, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of builds.slice(KEEP_PREVIOUS)) rmSync(path.join(dir, old.name), { recursive: true, force: true });
  // A build that died half-written.
  const hourAgo = Date.now() - 3_600_000;
  for (const e of entries) {
    if (e.name.startsWith('.tmp-') && statSync(path.join(dir, e.name)).mtimeMs < hourAgo) rmSync(path.join(dir, e.name), { recursive: true, force: true });
  }
}

/**
 * The entry of a fresh build, building it first when needed (once, however many processes ask at
 * the same moment). `say` tells the user why this start is slower: it is the only line a fresh
 * checkout's first `workbench` prints before its own output.
 */
export async function ensureCli(root, { say = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const fresh = freshCliEntry(root);
  if (fresh) return fresh;
  return withLock(path.join(root, 'dist', 'cli.lock'), async () => {
    const built = freshCliEntry(root); // by the process this one waited for
    if (built) return built;
    say('workbench: building the command line from its TypeScript sources (first use, or they changed since the last build)…');
    return buildCli(root);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(here, '..');
  try {
    if (process.argv.includes('--if-stale')) await ensureCli(root);
    else await withLock(path.join(root, 'dist', 'cli.lock'), () => buildCli(root));
  } catch (e) {
    // esbuild has printed the source errors themselves.
    process.stderr.write(`build-cli: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
