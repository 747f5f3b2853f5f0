import type { DriverCapabilities } from '../../../shared/contract/areas/instruments';
import { formatSI } from '../../../shared/units';

const PULSE: Record<DriverCapabilities['pulse'], string> = {
  'pulse-mode': 'its pulse mode',
  'list-sweep': 'a one-point list sweep (auto output-off)',
  'output-switched': 'the output switched around one measurement',
  script: 'a factory script (PulseVMeasureI)',
  board: 'the board’s PULSE command',
};

function range(values: number[], unit: string): string {
  if (values.length === 0) return 'stated by the instrument';
  return values.length === 1 ? `up to ${formatSI(values[0]!, unit)}` : `${formatSI(values[0]!, unit)} – ${formatSI(values[values.length - 1]!, unit)} (${values.length} ranges)`;
}

/** What a driver says its instrument can make: widths, ranges, sweeps, how it pulses. */
export function Capabilities({ capabilities: c }: { capabilities: DriverCapabilities }) {
  return (
    <dl className="instr-facts instr-caps" aria-label="What the instrument can make" data-testid="instrument-capabilities">
      <dt>Pulse width</dt>
      <dd>
        {c.minPulseWidth === null ? 'no minimum known' : `≥ ${formatSI(c.minPulseWidth, 's')}`}
        {c.maxPulseWidth === null ? '' : `, ≤ ${formatSI(c.maxPulseWidth, 's')}`}
      </dd>
      <dt>Source</dt>
      <dd>{range(c.voltageRanges, 'V')}</dd>
      <dt>Current</dt>
      <dd>{range(c.currentRanges, 'A')}</dd>
      <dt>Pulses</dt>
      <dd>{PULSE[c.pulse]}</dd>
      <dt>Sweeps</dt>
      <dd>{c.sweep ? 'in hardware' : 'no'}</dd>
      <dt>Commands</dt>
      <dd>{c.commandSet}</dd>
      {c.note && (
        <>
          <dt>Note</dt>
          <dd>{c.note}</dd>
        </>
      )}
    </dl>
  );
}
