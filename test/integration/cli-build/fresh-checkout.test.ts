import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../fixtures/temp-dirs';
import { firstLine, repoRoot } from '../cli/run-cli';

/**
 * A fresh checkout, as `git clone` + `npm ci` leave it: this worktree's files (tracked and new, not
 * ignored — so no dist/) copied to a temp folder, with node_modules linked rather than installed
 * (no network here). `npm ci` runs the package's `prepare` script, build/prepare.js; the second case
 * is an install that skipped it (`--ignore-scripts`), the third one with no packages at all.
 */
const tmp = tempDirs('wb-fresh-checkout-');
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The environment without this checkout's overrides (a separate renderer folder, data folder). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('WORKBENCH_')) delete env[key];
  return env;
}

function freshCheckout({ nodeModules }: { nodeModules: boolean }): string {
  const dir = tmp();
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0');
  for (const rel of files.filter(Boolean)) {
    const from = path.join(repoRoot, rel);
    if (!existsSync(from)) continue; // deleted in the worktree, not yet committed
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(from, path.join(dir, rel));
  }
  expect(existsSync(path.join(dir, 'dist'))).toBe(false);
  if (nodeModules) symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function run(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: dir, env: cleanEnv(), encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workbench = (dir: string, args: string[]) => run(dir, [path.join(dir, 'electron', 'bin', 'workbench.js'), ...args]);

/** `workbench serve` in `dir`; the page at its URL (with the token) and the script that page loads; what serve said on stderr. */
async function serveAndFetch(dir: string): Promise<{ page: Response; html: string; script: Response; stderr: string }> {
  const child = spawn(process.execPath, [path.join(dir, 'electron', 'bin', 'workbench.js'), 'serve', '--port', '0', '--json', '--data-dir', path.join(dir, 'data')], {
    cwd: dir,
    env: cleanEnv(),
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const { url } = JSON.parse(await firstLine(child)) as { url: string };
    expect(new URL(url).searchParams.get('token')).toBeTruthy();
    const page = await fetch(url);
    const html = await page.text();
    const src = /<script type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
    expect(src, html).toBeDefined();
    const script = await fetch(new URL(src!, url));
    return { page, html, script, stderr };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function expectTheApp(served: { page: Response; html: string; script: Response }): void {
  expect(served.page.status).toBe(200);
  expect(served.page.headers.get('content-type')).toContain('text/html');
  expect(served.html).toContain('<div id="root"></div>');
  expect(served.script.status).toBe(200);
  expect(served.script.headers.get('content-type')).toContain('javascript');
}

const BUILDS_CLI = 'workbench: building the command line from its TypeScript sources';
const BUILDS_PAGES = "Building the app's pages from renderer/";

describe('a fresh checkout', () => {
  it('after the install step (prepare): workbench starts without building and serve serves the app', { timeout: 300_000 }, async () => {
    const dir = freshCheckout({ nodeModules: true });
    const prepare = run(dir, ['build/prepare.js']);
    expect(prepare.status, prepare.stderr).toBe(0);
    expect(prepare.stdout).not.toContain('could not build');
    expect(existsSync(path.join(dir, 'dist', 'cli', 'current.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'dist', 'renderer', 'index.html'))).toBe(true);

    const v = workbench(dir, ['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`${version}\n`);
    expect(v.stderr).toBe('');

    const served = await serveAndFetch(dir);
    expectTheApp(served);
    expect(served.stderr).not.toContain(BUILDS_PAGES);
  });

  it('without it: the first workbench builds itself, saying so; an edit is picked up; serve builds the pages', { timeout: 300_000 }, async () => {
    const dir = freshCheckout({ nodeModules: true });
    const first = workbench(dir, ['--version']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(`${version}\n`);
    expect(first.stderr).toContain(BUILDS_CLI);
    const second = workbench(dir, ['--version']);
    expect(second.stderr).toBe('');

    // A developer edits the TypeScript: the next start runs the edit, not the old bundle.
    const cli = path.join(dir, 'electron', 'cli.ts');
    const source = readFileSync(cli, 'utf8');
    expect(source).toContain("'Options: --help, --version'");
    writeFileSync(cli, source.replace("'Options: --help, --version'", "'Options: --help, --version (edited by the test)'"));
    const edited = workbench(dir, ['--help']);
    expect(edited.status).toBe(0);
    expect(edited.stdout).toContain('Options: --help, --version (edited by the test)');
    expect(edited.stderr).toContain(BUILDS_CLI);

    const served = await serveAndFetch(dir);
    expectTheApp(served);
    expect(served.stderr).toContain(`${BUILDS_PAGES} (they were never built here)`);
  });

  it('serve refuses to start, saying why, when the pages cannot be built', { timeout: 300_000 }, () => {
    const dir = freshCheckout({ nodeModules: true });
    const main = path.join(dir, 'renderer', 'main.tsx');
    writeFileSync(main, `${readFileSync(main, 'utf8')}\nexport const broken = ;\n`);
    const r = workbench(dir, ['serve', '--port', '0', '--json', '--data-dir', path.join(dir, 'data')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('main.tsx');
    expect(r.stderr).toContain("workbench serve: the app's pages could not be built");
    expect(existsSync(path.join(dir, 'data', 'workbench.sqlite'))).toBe(false);
  });

  it('with no packages installed: prepare does not fail the install, and workbench says what is missing', () => {
    const dir = freshCheckout({ nodeModules: false });
    const prepare = run(dir, ['build/prepare.js']);
    expect(prepare.status).toBe(0);
    expect(prepare.stdout).toContain('prepare: could not build the command line (dist/cli) now: esbuild is not installed');
    expect(prepare.stdout).toContain("prepare: could not build the app's pages (dist/renderer) now: Vite is not installed");
    const v = workbench(dir, ['--version']);
    expect(v.status).toBe(1);
    expect(v.stderr).toContain('workbench: the command line could not be built: esbuild is not installed');
    expect(v.stderr).toContain('npm ci');
  });
});
