/**
 * The switching figures as `workbench analyze` and `workbench simulate` print them. A module of its
 * own, importing no services: `simulate` and every command bundled beside it load only this.
 */
import type { SwitchingAnalysis } from '../../shared/analysis';
import { formatSI } from '../../shared/units';

const fmt = (x: number | null, unit: string): string => (x === null ? '—' : formatSI(x, unit));
const pct = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} %`);

/** "N SET/RESET cycles, …": how many cycles, how many did not switch, what lay outside them. */
export function cyclesSentence(a: SwitchingAnalysis): string {
  const n = a.cycles.length;
  const failed = a.failed > 0 ? `, ${a.failed} without a SET or a RESET` : '';
  const outside = a.unpaired > 0 ? ` (${a.unpaired} excursion${a.unpaired === 1 ? '' : 's'} outside a cycle, such as forming)` : '';
  return `${n} SET/RESET cycle${n === 1 ? '' : 's'}${failed}${outside}.`;
}

/** The figures' medians and CVs, indented, as `analyze` and `simulate` print them; `note` ends the read-voltage line. */
export function switchingFigureLines(a: SwitchingAnalysis, note: string): string[] {
  const lines = [
    `  V_set   median ${fmt(a.median.vSet, 'V')}, CV ${pct(a.cv.vSet)}`,
    `  V_reset median ${fmt(a.median.vReset, 'V')}, CV ${pct(a.cv.vReset)}`,
    `  HRS     median ${fmt(a.median.hrs, 'Ω')}, CV ${pct(a.cv.hrs)}`,
    `  LRS     median ${fmt(a.median.lrs, 'Ω')}, CV ${pct(a.cv.lrs)}`,
    `  on/off  median ${a.onOff.median === null ? '—' : a.onOff.median.toPrecision(3)}; SET compliance ${fmt(a.complianceSet, 'A')}`,
    `  states read at ${fmt(a.read.voltage, 'V')} (${a.read.from ?? 'nothing to read'}); ${note}`,
  ];
  // A switched cycle without its voltage was driven by pulses: say so, rather than leave a bare dash.
  if (a.cycles.some((c) => (c.set && c.vSet === null) || (c.reset && c.vReset === null))) {
    lines.push('  V_set and V_reset come from I–V sweeps (the step after the jump, the current peak); cycles switched by single pulses have none.');
  }
  return lines;
}
