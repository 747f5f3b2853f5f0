/**
 * A small, strict argument parser: every command declares its flags, anything else is a usage
 * error (exit code 2) with one line that says what was wrong.
 */
export type FlagType = 'string' | 'number' | 'boolean';
export interface FlagSpec {
  type: FlagType;
  description: string;
  /** Allowed values for string flags. */
  choices?: readonly string[];
  /** A string flag that may be given as '' (notes, tags); any other refuses an empty value. */
  allowEmpty?: boolean;
  placeholder?: string;
}
export type FlagSpecs = Record<string, FlagSpec>;
export type ParsedFlags<S extends FlagSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'number' ? number : S[K]['type'] extends 'boolean' ? boolean : string;
};

export class UsageError extends Error {
  readonly exitCode = 2;
}

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S): { flags: ParsedFlags<S>; positionals: string[] } {
  const flags: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    if (arg === '--') {
      positionals.push(...argv.slice(k + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else value = argv[++k];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (spec.type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} needs a number, got ${JSON.stringify(value)}`);
      flags[name] = n;
    } else {
      // `--data-dir ''` (an unset shell variable) must not quietly mean the default folder.
      if (value === '' && !spec.allowEmpty) throw new UsageError(`--${name} needs a value, not an empty one`);
      if (spec.choices && !spec.choices.includes(value)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got ${JSON.stringify(value)}`);
      }
      flags[name] = value;
    }
  }
  return { flags: flags as ParsedFlags<S>, positionals };
}

export function describeFlags(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = s.type === 'boolean' ? `--${name}` : `--${name} ${s.placeholder ?? (s.choices ? s.choices.join('|') : s.type === 'number' ? 'N' : 'VALUE')}`;
    return [left, s.description] as const;
  });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`).join('\n');
}
