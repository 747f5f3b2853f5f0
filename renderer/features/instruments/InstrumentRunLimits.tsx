import '../../styles/instruments.css';
import { limitsWithin } from '../../../shared/instruments/capabilities';
import { formatLimit, type LimitName, type SafetyLimits } from '../../../shared/protocol';
import { formatCount, formatSI } from '../../../shared/units';
import type { ConnectedInstrument } from './use-connected-instrument';

const SHOWN: { name: LimitName; label: string; title: string }[] = [
  { name: 'maxVoltage', label: 'max |V|', title: 'Largest |V| of any pulse or read' },
  { name: 'compliance', label: 'compliance', title: 'Compliance current, set on the instrument before its output goes on' },
  { name: 'maxWidth', label: 'max width', title: 'Longest pulse' },
  { name: 'maxDutyCycle', label: 'max duty', title: 'Largest width/period of a train or ramp' },
];

/**
 * What a run on the connected instrument is checked against, shown before it starts: the
 * workbench's limits (Settings), of which max |V|, compliance and max width are mirrored to the
 * instrument's own protections, narrowed to what its driver says it can make (marked "instrument"),
 * and the shortest pulse it can make.
 */
export function InstrumentRunLimits({ instrument, limits: settings }: { instrument: ConnectedInstrument; limits: SafetyLimits | null }) {
  const applied = instrument.applied;
  const limits = settings ? limitsWithin(settings, instrument.capabilities) : null;
  const narrowed = (name: LimitName) => settings !== null && limits !== null && limits[name] !== settings[name];
  return (
    <div className="instr-run-limits" data-testid="instrument-run-limits">
      <p className="instr-run-title">
        <span data-testid="run-instrument-driver">{instrument.title}</span> · real time{instrument.virtual ? ' · virtual (emulator)' : ''}
      </p>
      <dl className="instr-run-dl" aria-label="Limits that apply">
        {SHOWN.map(({ name, label, title }) => (
          <div key={name} title={title}>
            <dt>{label}</dt>
            <dd className="mono">
              {limits ? formatLimit(name, limits[name]) : '…'}
              {narrowed(name) && <span className="muted"> (instrument)</span>}
            </dd>
          </div>
        ))}
        {applied.readCompliance !== applied.compliance && (
          <div title="Compliance current during reads">
            <dt>read compliance</dt>
            <dd className="mono">{formatSI(applied.readCompliance, 'A')}</dd>
          </div>
        )}
        {instrument.minPulseWidth !== null && (
          <div title="The shortest pulse this instrument can make">
            <dt>min width</dt>
            <dd className="mono">{formatSI(instrument.minPulseWidth, 's')}</dd>
          </div>
        )}
      </dl>
      {limits && (
        <p className="muted">
          At most {formatCount(limits.maxPulses)} pulses and {formatCount(limits.maxReads)} reads. From Settings; max |V|, compliance and max width are also set as the
          instrument&apos;s own protections.
        </p>
      )}
      {instrument.pending && (
        <p className="warn-text" role="status">
          The limits changed in Settings; the instrument keeps max |V| {formatSI(applied.maxVoltage, 'V')}, compliance {formatSI(applied.compliance, 'A')} and max width{' '}
          {formatSI(applied.maxWidth, 's')} until the running run ends.
        </p>
      )}
    </div>
  );
}
