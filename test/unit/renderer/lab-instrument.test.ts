/**
 * Where "Submit to the lab…" sends a sweep (renderer/features/rl/lab-instrument.ts): the general
 * queue, a listed instrument or a typed name (checked by the lab's own rule), the warnings the form
 * shows, the worker command it tells you to start, and how a listed instrument reads.
 */
import { describe, expect, it } from 'vitest';
import type { LabInstrument } from '../../../shared/contract/areas/lab';
import { instrumentDetailText, instrumentOptionText, OTHER, pickInstrument, seenAgo, workerCommand } from '../../../renderer/features/rl/lab-instrument';

const now = Date.parse('2026-12-04T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
const k2400: LabInstrument = {
  name: 'k2400',
  queue: 'wb-sweep-instrument-k2400',
  workers: [
    { pcName: 'pc-lab2', worker: 'lab2:77', device: 'serial:/dev/ttyUSB0', identity: 'KEITHLEY INSTRUMENTS INC.,MODEL 2400', lastSeenAt: ago(180) },
    { pcName: 'pc-old', worker: 'old:1', device: null, identity: null, lastSeenAt: ago(3 * 86400) },
  ],
  sweeps: 2,
  lastSweepAt: ago(3600),
};
const soft: LabInstrument = { name: 'k2401', queue: 'wb-sweep-instrument-k2401', workers: [{ pcName: 'pc-lab3', worker: 'lab3:5', device: null, identity: null, lastSeenAt: ago(10) }], sweeps: 0, lastSweepAt: null };
const unserved: LabInstrument = { name: 'k2450', queue: 'wb-sweep-instrument-k2450', workers: [], sweeps: 1, lastSweepAt: ago(60) };
const list = [k2400, soft, unserved];

describe('the instrument a lab sweep goes to', () => {
  it('the general queue names none and warns of nothing', () => {
    expect(pickInstrument({ choice: '', other: 'ignored' }, list)).toEqual({ name: null, problem: null, warning: null, known: null });
  });

  it('a listed instrument served on its device: no warning; the command names that device', () => {
    const pick = pickInstrument({ choice: 'i:k2400', other: '' }, list);
    expect(pick).toEqual({ name: 'k2400', problem: null, warning: null, known: k2400 });
    expect(workerCommand('k2400', pick.known)).toBe('workbench worker --lab --instrument k2400=serial:/dev/ttyUSB0');
  });

  it('served in software only, or by no worker yet: each says what will (not) happen', () => {
    expect(pickInstrument({ choice: 'i:k2401', other: '' }, list).warning).toBe(
      'pc-lab3’s worker serves k2401 in software only: its device-driven strategies run in simulation until the worker is started with k2401=DEVICE.',
    );
    expect(pickInstrument({ choice: 'i:k2450', other: '' }, list).warning).toBe('No worker has announced k2450 yet: nothing runs until `workbench worker --lab --instrument k2450=DEVICE` runs on the PC that owns it.');
    expect(pickInstrument({ choice: OTHER, other: ' new-one ' }, list)).toMatchObject({ name: 'new-one', problem: null, known: null, warning: expect.stringContaining('No worker has announced new-one yet') });
    // A typed name the lab knows is the listed one.
    expect(pickInstrument({ choice: OTHER, other: 'k2400' }, list)).toMatchObject({ name: 'k2400', warning: null, known: k2400 });
  });

  it('a typed name the lab would refuse is refused here with its sentence, and names nothing', () => {
    expect(pickInstrument({ choice: OTHER, other: '' }, list)).toEqual({ name: null, problem: "An instrument's name is empty: give 1 to 60 letters, digits, '_' or '-'.", warning: null, known: null });
    expect(pickInstrument({ choice: OTHER, other: 'COM3:9600' }, list).problem).toBe(`An instrument's name may hold only letters, digits, '_' and '-' (1 to 60 of them); "COM3:9600" has ":".`);
  });

  it('reads a listed instrument most telling first, and in full under the select', () => {
    expect(seenAgo(ago(180), now, 'en')).toBe('3 minutes ago');
    expect(seenAgo(ago(-5), now, 'en')).toBe('now');
    expect(seenAgo(ago(2 * 86400 + 60), now, 'en')).toBe('2 days ago');
    expect(instrumentOptionText(k2400, now, 'en')).toBe('k2400 — pc-lab2, seen 3 minutes ago, +1 other PC');
    expect(instrumentOptionText(soft, now, 'en')).toBe('k2401 — pc-lab3, seen 10 seconds ago');
    expect(instrumentOptionText(unserved, now, 'en')).toBe('k2450 — no worker yet (named by 1 sweep)');
    expect(instrumentDetailText(k2400, now, 'en')).toBe(
      'Served by pc-lab2 (worker lab2:77, on KEITHLEY INSTRUMENTS INC.,MODEL 2400, last seen 3 minutes ago); pc-old (worker old:1, software only, last seen 3 days ago); 2 sweeps so far.',
    );
    expect(instrumentDetailText(unserved, now, 'en')).toBe('No worker has served k2450; 1 sweep so far.');
  });
});
