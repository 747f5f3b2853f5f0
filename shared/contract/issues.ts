import type { z } from 'zod';

/**
 * A validation problem with the path of the offending field, e.g. `blocks[2].width` ('' for the
 * document or request itself). Every validator's problems are FieldProblems (a protocol's add a
 * `code`, a preset's the field's own name), so they are summarised and moved the same way.
 */
export interface FieldProblem {
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = joinPath(prefix, formatPath(issue.path));
    const where = keys.length > 0 ? [path, keys[0]].filter((p) => p !== '').join('.') : path;
    return { path: where || '(root)', message: issue.message };
  });
}

/** `path` inside `prefix`: ('protocol', 'blocks[2]') → 'protocol.blocks[2]', ('values', '[3]') → 'values[3]', ('protocol', '') → 'protocol'. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Problems of a document moved under the request field that holds it (`protocol`, `experiment`, `device.preset`). */
export function problemsUnder(prefix: string, problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.map((p) => ({ path: joinPath(prefix, p.path), message: p.message }));
}

/** ' (and 2 more problems)' after the first of `count` problems; '' for one. */
export function moreProblems(count: number): string {
  return count > 1 ? ` (and ${count - 1} more problem${count > 2 ? 's' : ''})` : '';
}

/**
 * One sentence naming the first offending field, the others counted (they travel in details):
 * 'blocks[2].width: must be positive (and 1 more problem)'. `root` names the document itself
 * when the first problem is about all of it (path ''): '(document)' for a protocol.
 */
export function summarizeProblems(problems: readonly FieldProblem[], root = ''): string {
  const first = problems[0];
  if (!first) return 'The request is malformed.';
  const where = first.path === '' ? root : first.path;
  return `${where === '' ? '' : `${where}: `}${first.message}${moreProblems(problems.length)}`;
}
