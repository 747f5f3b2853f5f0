import { UsageError, describeFlags, parseArgs, type FlagSpecs, type ParsedFlags } from './args';

export interface Command {
  name: string;
  synopsis: string;
  summary: string;
  help(): string;
  run(argv: readonly string[]): Promise<number>;
}

/** Declares a command from its flags; parsing and --help text come from the same table. */
export function defineCommand<S extends FlagSpecs>(def: {
  name: string;
  synopsis: string;
  summary: string;
  flags: S;
  /** Allowed number of positional arguments [min, max]. */
  positionals?: [number, number];
  run(flags: ParsedFlags<S>, positionals: string[]): Promise<number>;
}): Command {
  return {
    name: def.name,
    synopsis: def.synopsis,
    summary: def.summary,
    help: () => `Usage: workbench ${def.synopsis}\n\n${def.summary}\n\nOptions:\n${describeFlags(def.flags)}\n`,
    async run(argv) {
      const { flags, positionals } = parseArgs(argv, def.flags);
      const [min, max] = def.positionals ?? [0, 0];
      if (positionals.length < min || positionals.length > max) {
        throw new UsageError(
          positionals.length < min ? `missing argument (usage: workbench ${def.synopsis})` : `unexpected argument '${positionals[max]}'`,
        );
      }
      return def.run(flags, positionals);
    },
  };
}
