import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStaticFile } from '../../../electron/host/static-files';
import { tempDirs } from '../../fixtures/temp-dirs';

/** The built renderer as files: the app's root is never "Not found", even before the pages exist. */
const tmp = tempDirs('wb-static-');

describe('static files', () => {
  it('answers the root and client routes with 503 and how to build the pages while they are missing', async () => {
    const root = tmp();
    for (const url of ['/', '/?token=abc', '/live']) {
      const file = await readStaticFile(root, url);
      expect(file.status, url).toBe(503);
      expect(file.body.toString()).toContain('npm run build:renderer');
    }
    expect((await readStaticFile(root, '/assets/main.js')).status).toBe(404);
  });

  it('serves index.html for the root and client routes once built, and refuses paths outside the folder', async () => {
    const root = tmp();
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<div id="root"></div>');
    writeFileSync(path.join(root, 'assets', 'main.js'), 'export {};');
    for (const url of ['/', '/?token=abc', '/live']) {
      const file = await readStaticFile(root, url);
      expect(file.status, url).toBe(200);
      expect(file.type).toContain('text/html');
      expect(file.body.toString()).toBe('<div id="root"></div>');
    }
    expect((await readStaticFile(root, '/assets/main.js')).type).toContain('javascript');
    expect((await readStaticFile(root, '/assets/missing.js')).status).toBe(404);
    expect((await readStaticFile(root, '/../package.json')).status).toBe(404);
    expect((await readStaticFile(root, '/%2e%2e/package.json')).status).toBe(404);
  });
});
