import { benchCommand } from './bench';
import type { Command } from './command';
import { emulatorCommand } from './emulator';
import { exportBundleCommand, exportCommand, importCommand } from './export';
import { fitCommand } from './fit';
import { protocolCommand } from './protocol';
import { reproduceCommand } from './reproduce';
import { runCommand } from './run';
import { runsCommand } from './runs';
import { serveCommand } from './serve';
import { simulateCommand } from './simulate';

/** Every `workbench` subcommand, in the order --help lists them. */
export const commands: readonly Command[] = [serveCommand, reproduceCommand, simulateCommand, runCommand, runsCommand, exportCommand, exportBundleCommand, importCommand, protocolCommand, fitCommand, benchCommand, emulatorCommand];
