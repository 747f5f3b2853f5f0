import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Serves the built renderer from one folder, for both the web host and Electron's app:// scheme.
 * Paths are resolved inside the root and anything that escapes it is refused; unknown routes fall
 * back to index.html only for extension-less paths (client-side routes), never for assets.
 */
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export interface StaticFile {
  status: number;
  body: Buffer;
  type: string;
}

export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return notFound();
  }
  if (decoded.includes('\0')) return notFound();
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root + path.sep)) return notFound();
  const ext = path.extname(full).toLowerCase();
  try {
    const info = await stat(full);
    if (info.isFile()) return { status: 200, body: await readFile(full), type: types[ext] ?? 'application/octet-stream' };
  } catch {
    // fall through
  }
  if (ext === '' || rel === 'index.html') {
    try {
      return { status: 200, body: await readFile(path.join(root, 'index.html')), type: types['.html']! };
    } catch {
      // The app's root is never "Not found": the host is there, its pages are not (yet).
      return {
        status: 503,
        body: Buffer.from("The app's pages are not built. Run `npm run build:renderer` (`workbench serve` builds them itself when it starts)."),
        type: 'text/plain; charset=utf-8',
      };
    }
  }
  return notFound();
}

function notFound(message = 'Not found'): StaticFile {
  return { status: 404, body: Buffer.from(message), type: 'text/plain; charset=utf-8' };
}

/**
 * The content security policy of every page: scripts and styles only from the app itself, no eval,
 * no inline script, no objects, no framing; connections only back to the host.
 */
export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}
