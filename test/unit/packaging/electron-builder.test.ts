import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The packaging configuration cannot be exercised here (no Electron download), so it is checked. */
const root = path.resolve(import.meta.dirname, '..', '..', '..');
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  extraResources: { from: string; to: string }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  fileAssociations: { ext: string }[];
  linux: { target: string[]; icon: string };
  win: { target: string[] };
  mac: { target: string[] };
}
interface PackageJson {
  productName: string;
  main: string;
  scripts: Record<string, string>;
}
const config = JSON.parse(readFileSync(path.join(root, 'build', 'electron-builder.json'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;

describe('electron-builder configuration', () => {
  it('names the app and builds the four targets', () => {
    expect(config.appId).toBe('org.memristorworkbench.app');
    expect(config.productName).toBe(pkg.productName);
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('packs the built main process, preload and renderer, and ships resources beside the asar', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json']));
    expect(pkg.main).toBe('dist/electron/main.js');
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'resources', to: 'resources' })]);
  });

  it('rebuilds native modules for Electron only while packaging, and unpacks them from the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**']));
    // Never in postinstall: the tests and the CLI need the Node build.
    expect(JSON.stringify(pkg.scripts)).not.toMatch(/electron-rebuild|install-app-deps/);
    expect(pkg.scripts.postinstall).toBeUndefined();
    expect(pkg.scripts.dist).toBe('node build/dist.js');
    const dist = readFileSync(path.join(root, 'build', 'dist.js'), 'utf8');
    expect(dist).toContain('better_sqlite3.node');
    expect(dist).toMatch(/finally\s*{[^}]*copyFileSync/);
  });

  it('associates exported protocols and experiment bundles with the app', () => {
    const exts = config.fileAssociations.map((a) => a.ext);
    expect(exts).toEqual(expect.arrayContaining(['mwprotocol', 'sqlite']));
  });

  it('has an icon that exists', () => {
    expect(() => readFileSync(path.join(root, config.linux.icon))).not.toThrow();
  });
});
