import { formatCount, formatSI } from '../units';
import type { ExitNote, Program } from './program';

/**
 * How a forming or converge block ended, in one sentence for the run's log and `workbench
 * simulate`: the same words whether the run was simulated or on an instrument.
 *
 *   forming (blocks[0]): target reached at V = 2.55 V (|I| = 100 µA ≥ 50 µA) after 52 steps
 *   forming (blocks[0]): maximum voltage 2 V reached without forming (last |I| = 1.2 µA; target |I| ≥ 50 µA)
 *   converge (blocks[1]): G = 312 µS within 250 µS…400 µS after 7 pulses
 */
export function describeExit(note: ExitNote, program?: Pick<Program, 'blocks'>): string {
  const info = program?.blocks[note.block];
  const where = info ? ` (${info.label ?? info.path})` : '';
  const unit = note.quantity === 'current' ? 'A' : note.quantity === 'resistance' ? 'Ω' : 'S';
  const name = note.quantity === 'current' ? '|I|' : note.quantity === 'resistance' ? 'R' : 'G';
  const shown = (x: number) => formatSI(x, unit, { digits: 4 });
  const op = note.when === 'above' ? '≥' : '≤';
  const pulses = `${formatCount(note.pulses)} ${note.on === 'step' ? 'step' : 'pulse'}${note.pulses === 1 ? '' : 's'}`;
  if (note.kind === 'forming') {
    const target = `${name} ${op} ${shown(note.threshold)}`;
    if (note.reached) return `forming${where}: target reached at V = ${formatSI(note.voltage, 'V', { digits: 4 })} (${name} = ${shown(note.value)}, target ${target}) after ${pulses}`;
    const last = Number.isFinite(note.value) ? `last ${name} = ${shown(note.value)}; ` : '';
    return `forming${where}: maximum voltage ${formatSI(note.voltage, 'V', { digits: 4 })} reached without forming (${last}target ${target})`;
  }
  const band = `${shown(note.threshold)}…${shown(note.upper ?? Number.NaN)}`;
  if (note.reached) return `converge${where}: G = ${shown(note.value)} within ${band} after ${pulses}`;
  return `converge${where}: G = ${shown(note.value)} still outside ${band} after ${pulses} (the maximum)`;
}
