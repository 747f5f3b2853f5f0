import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { appRoot, rendererDir } from '../app-meta';

/**
 * Makes sure the app's pages are built and match renderer/ before the web host serves them: a fresh
 * clone's first `workbench serve`, or one after a renderer edit, builds them first rather than
 * serving "Not found" or yesterday's page. The work is build/build-renderer.js --if-stale, in a
 * child process so Vite stays out of the command line's bundle; it says in one line that it builds
 * (on stderr: stdout stays the URL, or the --json line). Outside a checkout (no build/ folder) the
 * pages must already be there.
 */
export async function ensureRendererBuilt(): Promise<void> {
  const index = path.join(rendererDir(), 'index.html');
  const script = path.join(appRoot, 'build', 'build-renderer.js');
  if (!existsSync(script)) {
    if (!existsSync(index)) throw new Error(`the app's pages are not built: ${index} is missing`);
    return;
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--if-stale'], { stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error("the app's pages could not be built (the build's errors are above; `npm run build:renderer` runs it on its own)");
}
