import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../services/errors';
import type { helpRequests } from '../../shared/contract/areas/help';
import { resourcesDir } from '../app-meta';
import type { Handlers } from '../router';
import type { HandlerContext } from './context';

/** A page's title is its first `# ` heading; the guide comes first, the rest by title. */
function pages(): { id: string; title: string; file: string }[] {
  const dir = path.join(resourcesDir(), 'help');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^[a-z0-9-]+\.md$/.test(f));
  } catch {
    return [];
  }
  return files
    .map((f) => {
      const file = path.join(dir, f);
      const first = /^#\s+(.+)$/m.exec(readFileSync(file, 'utf8'));
      return { id: f.slice(0, -3), title: first?.[1]?.trim() ?? f, file };
    })
    .sort((a, b) => (a.id === 'user-guide' ? -1 : b.id === 'user-guide' ? 1 : a.title.localeCompare(b.title)));
}

export function helpHandlers(_ctx: HandlerContext): Pick<Handlers, keyof typeof helpRequests> {
  return {
    'help.pages': () => pages().map(({ id, title }) => ({ id, title })),
    'help.page': ({ id }) => {
      const page = pages().find((p) => p.id === id);
      if (!page) throw new ServiceError('not_found', `There is no help page called '${id}'.`);
      return { id: page.id, title: page.title, markdown: readFileSync(page.file, 'utf8') };
    },
  };
}
