import type { z } from 'zod';

/** A validation problem with the path of the offending field, e.g. `blocks[2].width`. */
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
    const base = formatPath(issue.path);
    const path = [prefix, base].filter((p) => p !== '').join(base.startsWith('[') ? '' : '.');
    const where = keys.length > 0 ? [path, keys[0]].filter((p) => p !== '').join('.') : path;
    return { path: where || '(root)', message: issue.message };
  });
}

/** One sentence naming the first offending field; the rest travel in details. */
export function summarizeProblems(problems: readonly FieldProblem[]): string {
  const first = problems[0];
  if (!first) return 'The request is malformed.';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return `${first.path}: ${first.message}${more}`;
}
