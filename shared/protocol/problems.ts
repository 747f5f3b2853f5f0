import type { FieldProblem } from '../contract/issues';

/**
 * A problem found in a document: where (a path such as `blocks[2].body[0].width`; '' for the
 * document itself), what kind, and a sentence for a physicist.
 */
export interface Problem extends FieldProblem {
  code: ProblemCode;
}

export type ProblemCode =
  /** Not a protocol document of this format and version. */
  | 'format'
  /** A value of the wrong JSON type, or text that does not read as the expected quantity. */
  | 'type'
  | 'missing'
  | 'unknown-field'
  /** A value out of its physical range (a negative width, a fractional count). */
  | 'range'
  /** A safety limit is exceeded. */
  | 'limit'
  /** The parts of a block do not fit in time (a pulse and its read longer than the period). */
  | 'timing'
  /** Blocks put together in a way that cannot run (an empty body, an until that never reads). */
  | 'structure'
  | 'duplicate-id';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/u;

/** The path of a field or element: 'blocks[2]', 'blocks[2].width', or `limits[" odd key"]` for keys that are not identifiers. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** The keys a path is made of, for finding the place it names: 'blocks[2].width' → ['blocks', 2, 'width']. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gyu;
  let match: RegExpExecArray | null;
  while (token.lastIndex < path.length && (match = token.exec(path)) !== null) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
    else if (match[3] !== undefined) out.push(JSON.parse(match[3]) as string);
  }
  return out;
}

/** 'blocks[2].width', or '(document)' for the root. */
export function displayPath(path: string): string {
  return path === '' ? '(document)' : path;
}

export function formatProblem(p: Problem): string {
  return `${displayPath(p.path)}: ${p.message}`;
}
