/**
 * A compiled protocol checked against one connected instrument before a run is queued on it: its
 * limits (mirrored from Settings) and what its driver says it can make — its capabilities: the
 * shortest and longest pulse (a Keithley 2400's integration time, a B2900's 50 µs), its largest
 * source range. The instrument refuses such an operation anyway, but only when the run reaches
 * it; checked here, the run is refused before it starts, with every problem and its path, as the
 * Settings limits are by validateProtocol. `capabilityProblems` checks a driver's capabilities
 * alone, before anything is connected.
 */
import { complianceBeyondCapabilities, pulseBeyondCapabilities, readBeyondCapabilities, type DriverCapabilities } from '../../../shared/instruments/capabilities';
import type { Instruction, Operand, Problem, Program } from '../../../shared/protocol';
import type { Instrument } from './instrument';

/** What the instrument of a driver cannot make of this protocol (no limits from Settings here). */
export function capabilityProblems(program: Program, driver: { title: string; capabilities: DriverCapabilities }): Problem[] {
  const name = driver.title.replace(/\s*\(.*\)$/, '');
  return instrumentProblems(program, {
    pulseRefusal: (a, w) => pulseBeyondCapabilities(a, w, driver.capabilities, name),
    readRefusal: (v) => readBeyondCapabilities(v, driver.capabilities, name),
    stepRefusal: (v, d, c) => pulseBeyondCapabilities(v, d, driver.capabilities, name) ?? complianceBeyondCapabilities(c, driver.capabilities, name),
  });
}

/** Distinct (amplitude, width) pairs beyond this are checked at their extremes only. */
const MAX_PAIRS = 10_000;

export function instrumentProblems(program: Program, instrument: Pick<Instrument, 'pulseRefusal' | 'readRefusal' | 'stepRefusal'>): Problem[] {
  const bound = new Map<number, { values: number[]; block: number }>();
  for (const ins of program.instructions) if (ins.kind === 'bind') bound.set(ins.register, { values: ins.values, block: ins.block });
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ path, code: 'limit', message });
  };

  for (const ins of program.instructions) {
    if (ins.kind === 'pulse') {
      const amplitudes = operandValues(ins.amplitude, bound);
      const widths = operandValues(ins.width, bound);
      for (const [amplitude, width] of pairs(amplitudes, widths)) {
        const refusal = instrument.pulseRefusal(amplitude, width);
        if (refusal === null) continue;
        // The field that is wrong: a width refusal says 'a pulse of width …', the rest concern the amplitude.
        const field = refusal.includes('pulse of width') ? 'width' : 'amplitude';
        add(fieldPath(program, ins, field === 'width' ? ins.width : ins.amplitude, field, bound), refusal);
        break; // one problem per pulse instruction is enough to act on
      }
    } else if (ins.kind === 'read') {
      const refusal = instrument.readRefusal(ins.voltage);
      if (refusal !== null) add(readPath(program, ins.block), refusal);
    } else if (ins.kind === 'step') {
      const refusal = stepRefusal(ins, operandValues(ins.voltage, bound), instrument);
      if (refusal !== null) add(stepPath(program, ins, refusal.field), refusal.message);
    }
  }
  return problems;
}

/** The field of an I–V sweep block a refusal concerns. */
type StepField = 'compliance.positive' | 'compliance.negative' | 'dwell' | 'points';

/**
 * The first refusal of an I–V sweep step over its voltages, each under the compliance of its
 * polarity, and the field it concerns: the compliance (of that polarity), the dwell, or the path.
 */
function stepRefusal(
  ins: Extract<Instruction, { kind: 'step' }>,
  voltages: number[],
  instrument: Pick<Instrument, 'stepRefusal'>,
): { message: string; field: StepField } | null {
  const polarities = [...new Set(voltages.map((v) => (v < 0 ? ('negative' as const) : ('positive' as const))))];
  for (const polarity of polarities) {
    const own = voltages.filter((v) => (v < 0) === (polarity === 'negative'));
    for (const v of extremes(own, Math.abs)) {
      const message = instrument.stepRefusal(v, ins.dwell, ins.compliance[polarity]);
      if (message === null) continue;
      const field = message.includes('a compliance of') ? (`compliance.${polarity}` as const) : message.includes('width') ? 'dwell' : 'points';
      return { message, field };
    }
  }
  return null;
}

/** Where a step's refused value is written: its block's compliance (one for both polarities, or that polarity's), dwell or path. */
function stepPath(program: Program, ins: Extract<Instruction, { kind: 'step' }>, field: StepField): string {
  const block = program.blocks[ins.block];
  if (!block) return '';
  const one = ins.compliance.positive === ins.compliance.negative;
  return join(block.path, field.startsWith('compliance') && one ? 'compliance' : field);
}

function operandValues(x: Operand, bound: Map<number, { values: number[] }>): number[] {
  if (typeof x === 'number') return [x];
  return [...new Set(bound.get(x.reg)?.values ?? [])];
}

function pairs(amplitudes: number[], widths: number[]): [number, number][] {
  if (amplitudes.length * widths.length > MAX_PAIRS) {
    const a = extremes(amplitudes, Math.abs);
    const w = extremes(widths, (v) => v);
    return a.flatMap((x) => w.map((y): [number, number] => [x, y]));
  }
  return amplitudes.flatMap((x) => widths.map((y): [number, number] => [x, y]));
}

function extremes(values: number[], key: (v: number) => number): number[] {
  let lo = values[0] ?? 0;
  let hi = lo;
  for (const v of values) {
    if (key(v) < key(lo)) lo = v;
    if (key(v) > key(hi)) hi = v;
  }
  return lo === hi ? [lo] : [lo, hi];
}

/** Where a pulse's value is written: the block's own field, or the values of the sweep (or ramp) that binds it. */
function fieldPath(program: Program, ins: Extract<Instruction, { kind: 'pulse' }>, operand: Operand, field: 'amplitude' | 'width', bound: Map<number, { block: number }>): string {
  if (typeof operand !== 'number') {
    const binder = program.blocks[bound.get(operand.reg)?.block ?? -1];
    if (binder) return join(binder.path, binder.kind === 'sweep' ? 'values' : binder.kind === 'ramp' ? 'to' : field);
  }
  const block = program.blocks[ins.block];
  return block ? join(block.path, block.kind === 'ramp' && field === 'amplitude' ? 'to' : field) : '';
}

function readPath(program: Program, blockIndex: number): string {
  const block = program.blocks[blockIndex];
  if (!block) return '';
  return join(block.path, block.kind === 'read' ? 'voltage' : 'read');
}

function join(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}
