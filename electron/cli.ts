import { appVersion } from './app-meta';
import { UsageError } from './cli/args';
import type { Command } from './cli/command';
import { commands } from './cli/commands';
import { forTerminal } from './cli/terminal-text';

/**
 * `workbench <command> [options]`. Exit codes: 0 success, 1 the work failed (a bad file, a failed
 * run: the message says why), 2 a usage error (unknown command or flag). Errors go to stderr.
 * Commands are loaded on demand (cli/commands.ts): --version and a mistyped command load nothing
 * beyond this file; --help loads every command for its synopsis.
 */
export async function main(argv: readonly string[]): Promise<number> {
  quietOnClosedPipe();
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage(await Promise.all(commands.map((c) => c.load()))));
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${appVersion}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    process.stderr.write(`workbench: unknown command '${first}' (see 'workbench --help')\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help());
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`workbench ${command.name}: ${forTerminal(e.message)} (see 'workbench ${command.name} --help')\n`);
      return 2;
    }
    // Messages quote names and values people wrote: never let them drive the terminal.
    process.stderr.write(`workbench ${command.name}: ${forTerminal(e instanceof Error ? e.message : String(e))}\n`);
    if (process.env.WORKBENCH_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

function usage(loaded: readonly Command[]): string {
  return [
    `Memristor Workbench ${appVersion} — pulse protocols, second-order memristors, device-driven RL.`,
    '',
    'Usage: workbench <command> [options]',
    '',
    'Commands:',
    // Synopses are long (every flag), so the summary goes on its own indented line.
    ...loaded.flatMap((c) => [`  ${c.synopsis}`, `      ${c.summary}`]),
    '',
    "Run 'workbench <command> --help' for a command's options.",
    'Options: --help, --version',
    '',
  ].join('\n');
}

/**
 * A reader that goes away (`workbench export RUN | head`) ends the command quietly with success, as
 * Unix tools do; any other failure to write the output is one line on stderr and exit 1.
 */
function quietOnClosedPipe(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`workbench: could not write the output: ${e.message}\n`);
    process.exit(1);
  });
}
