import { benchCommand } from './bench';
import type { Command } from './command';
import { serveCommand } from './serve';

/** Every `workbench` subcommand, in the order --help lists them. */
export const commands: readonly Command[] = [serveCommand, benchCommand];
