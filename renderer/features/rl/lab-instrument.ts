/**
 * Where "Submit to the lab…" sends a sweep (#16): the general queue (every PC's worker, in
 * software) or one instrument's queue (only the PC whose worker serves it). Pure: what the choice
 * names, why it cannot be submitted, what to warn about, and how a known instrument is described.
 */
import type { LabInstrument } from '../../../shared/contract/areas/lab';
import { instrumentNameProblem } from '../../../shared/lab/instrument-name';
import { sentence } from './fields';

/** The select's value ('' the general queue, OTHER a typed name, `i:NAME` a listed instrument) and the typed name. */
export interface InstrumentDraft {
  choice: string;
  other: string;
}
export const GENERAL = '';
export const OTHER = 'other';
export const listed = (name: string) => `i:${name}`;

export interface InstrumentPick {
  /** The instrument to submit for, or null for the general queue. */
  name: string | null;
  /** Why the sweep cannot be submitted as chosen (a bad typed name), or null. */
  problem: string | null;
  /** What the user should know before submitting (no worker serves it, or one serves it in software only), or null. */
  warning: string | null;
  /** The lab's record of it, when it has one. */
  known: LabInstrument | null;
}

export function pickInstrument(draft: InstrumentDraft, instruments: readonly LabInstrument[]): InstrumentPick {
  if (draft.choice === GENERAL) return { name: null, problem: null, warning: null, known: null };
  const name = draft.choice === OTHER ? draft.other.trim() : draft.choice.slice(2);
  const bad = instrumentNameProblem(name);
  if (bad !== null) return { name: null, problem: sentence(bad), warning: null, known: null };
  const known = instruments.find((i) => i.name === name) ?? null;
  const served = known?.workers[0];
  let warning: string | null = null;
  if (!served) warning = `No worker has announced ${name} yet: nothing runs until \`${workerCommand(name, null)}\` runs on the PC that owns it.`;
  else if (known.workers.every((w) => w.device === null)) {
    warning = `${served.pcName}’s worker serves ${name} in software only: its device-driven strategies run in simulation until the worker is started with ${name}=DEVICE.`;
  }
  return { name, problem: null, warning, known };
}

/** The command to start on the PC that owns the instrument: its device as last opened there, or DEVICE to fill in. */
export function workerCommand(name: string, known: LabInstrument | null): string {
  const device = known?.workers.find((w) => w.device !== null)?.device ?? 'DEVICE';
  return `workbench worker --lab --instrument ${name}=${device}`;
}

/** "3 min ago", "2 days ago" in the user's locale. */
export function seenAgo(iso: string, now: number, locale?: string): string {
  // A PC's clock a little ahead of this one's reads as "now", not "in 3 seconds".
  const seconds = Math.min(0, Math.round((Date.parse(iso) - now) / 1000));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 365]];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return format.format(Math.trunc(value), unit);
    value /= size;
  }
  return format.format(Math.trunc(value), 'year');
}

const sweepsText = (n: number) => `${n} sweep${n === 1 ? '' : 's'}`;
const whereText = (device: string | null, identity: string | null) => (device === null ? 'software only' : `on ${identity ?? device}`);

/** A listed instrument in the select, most telling first (a narrow select cuts the end): "k2400 — pc-lab2, seen 3 min ago, on serial:/dev/ttyUSB0". */
export function instrumentOptionText(i: LabInstrument, now: number, locale?: string): string {
  const w = i.workers[0];
  if (!w) return `${i.name} — no worker yet (named by ${sweepsText(i.sweeps)})`;
  const others = i.workers.length > 1 ? `, +${i.workers.length - 1} other PC${i.workers.length > 2 ? 's' : ''}` : '';
  // Short enough to show whole in the select (#19): where it is attached stands in the detail under it.
  return `${i.name} — ${w.pcName}, seen ${seenAgo(w.lastSeenAt, now, locale)}${others}`;
}

/** The chosen instrument in full, under the select: every PC whose worker served it, and its sweeps. */
export function instrumentDetailText(i: LabInstrument, now: number, locale?: string): string {
  const served = i.workers.map((w) => `${w.pcName} (worker ${w.worker}, ${whereText(w.device, w.identity)}, last seen ${seenAgo(w.lastSeenAt, now, locale)})`);
  const swept = i.sweeps === 0 ? 'no sweep yet' : `${sweepsText(i.sweeps)} so far`;
  return served.length === 0 ? `No worker has served ${i.name}; ${swept}.` : `Served by ${served.join('; ')}; ${swept}.`;
}
