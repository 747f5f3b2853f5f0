import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../fixtures/temp-dirs';
import { repoRoot } from '../cli/run-cli';

/**
 * What `workbench` loads, seen by Node's own module loader: a resolve hook (module.register) writes
 * every module URL the process resolves to a file. `--version` must not load the commands, the
 * store or any package: that is what keeps its start-up near Node's own (`workbench bench`
 * measures it: cli.startup.version).
 */
const tmp = tempDirs('wb-lazy-start-');

function modulesLoadedBy(args: string[]): { status: number | null; stdout: string; urls: string[] } {
  const dir = tmp();
  const log = path.join(dir, 'loaded.txt');
  writeFileSync(log, '');
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function resolve(specifier, context, next) {\n` +
      `  const r = await next(specifier, context);\n` +
      `  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');\n` +
      `  return r;\n}\n`,
  );
  const register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, path.join(repoRoot, 'electron', 'bin', 'workbench.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  return { status: r.status, stdout: r.stdout, urls };
}

describe('workbench start-up', () => {
  it('--version loads a few kilobytes of the bundle and no package', () => {
    const r = modulesLoadedBy(['--version']);
    expect(r.status).toBe(0);
    const stamp = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'cli', 'current.json'), 'utf8')) as { build: string };
    const buildDir = path.join(repoRoot, 'dist', 'cli', stamp.build);
    const files = r.urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    const fromBundle = files.filter((f) => f.startsWith(buildDir + path.sep));
    expect(fromBundle).toContain(path.join(buildDir, 'workbench.js'));
    expect(files.filter((f) => f.includes(`${path.sep}node_modules${path.sep}`))).toEqual([]);
    // Every module it did load comes from the bundle or the few build scripts that check it is fresh.
    expect(files.filter((f) => !f.startsWith(buildDir + path.sep)).map((f) => path.relative(repoRoot, f)).sort()).toEqual(
      ['build/build-cli.js', 'build/freshness.js', 'electron/bin/workbench.js'],
    );
    const bundleBytes = readdirSync(buildDir)
      .filter((f) => f.endsWith('.js'))
      .reduce((sum, f) => sum + statSync(path.join(buildDir, f)).size, 0);
    const loadedBytes = fromBundle.reduce((sum, f) => sum + statSync(f).size, 0);
    expect(loadedBytes / bundleBytes, `${loadedBytes} of ${bundleBytes} bytes`).toBeLessThan(0.02);
  });

  it('a command loads its own code and what it needs, not every command', () => {
    const version = modulesLoadedBy(['--version']).urls.length;
    const protocol = modulesLoadedBy(['protocol', '--help']);
    const help = modulesLoadedBy(['--help']);
    expect(protocol.status).toBe(0);
    expect(protocol.stdout).toContain('Usage: workbench protocol');
    expect(help.status).toBe(0);
    expect(protocol.urls.length).toBeGreaterThan(version);
    expect(help.urls.length).toBeGreaterThan(protocol.urls.length);
    // The serial port stack belongs to the instrument commands, not to the protocol compiler.
    expect(protocol.urls.some((u) => u.includes('/node_modules/serialport/'))).toBe(false);
    expect(help.urls.some((u) => u.includes('/node_modules/serialport/'))).toBe(true);
  });
});
