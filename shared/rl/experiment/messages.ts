/** Message helpers for the experiment schema: every message names its field and what it must be. */
export interface RawIssue {
  readonly code?: string;
  readonly input?: unknown;
  readonly keys?: readonly string[];
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function fieldError(name: string, requirement: string) {
  return (issue: RawIssue): string =>
    issue.input === undefined ? `${name} is missing: it must be ${requirement}` : `${name} must be ${requirement} (got ${describeValue(issue.input)})`;
}

/** For strict objects: a type error names the object, unknown keys are listed with the known ones. */
export function objectError(where: string, known: readonly string[]) {
  return (issue: RawIssue): string => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys ?? [];
      return `${where} has unknown ${keys.length === 1 ? 'field' : 'fields'} ${keys.join(', ')} (known: ${known.join(', ')})`;
    }
    return `${where} must be an object with ${known.join(', ')} (got ${describeValue(issue.input)})`;
  };
}
