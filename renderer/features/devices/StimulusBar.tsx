/**
 * The spike train the curves are drawn for: amplitude, width, period and count, each typed with
 * units and checked as you type; and whether the simulated device has its noise.
 */
import { formatSI, parseQuantity, type UnitSymbol } from '../../../shared/units';
import { DEFAULT_STIMULUS, stimulusProblem, type Stimulus } from './curves';

export type StimulusTexts = Record<keyof Stimulus, string>;

export const DEFAULT_STIMULUS_TEXTS: StimulusTexts = {
  amplitude: formatSI(DEFAULT_STIMULUS.amplitude, 'V'),
  width: formatSI(DEFAULT_STIMULUS.width, 's'),
  period: formatSI(DEFAULT_STIMULUS.period, 's'),
  count: String(DEFAULT_STIMULUS.count),
};

const FIELDS: { key: keyof Stimulus; label: string; unit: UnitSymbol }[] = [
  { key: 'amplitude', label: 'Amplitude', unit: 'V' },
  { key: 'width', label: 'Width', unit: 's' },
  { key: 'period', label: 'Period', unit: 's' },
  { key: 'count', label: 'Spikes', unit: '' },
];

/** The stimulus the texts describe, or the sentence saying why they do not describe one. */
export function parseStimulus(texts: StimulusTexts): { ok: true; stimulus: Stimulus } | { ok: false; field: keyof Stimulus | null; message: string } {
  const values: Partial<Stimulus> = {};
  for (const f of FIELDS) {
    const parsed = parseQuantity(texts[f.key], f.unit);
    if (!parsed.ok) return { ok: false, field: f.key, message: `${f.label.toLowerCase()}: ${parsed.message}` };
    values[f.key] = parsed.value;
  }
  const stimulus = values as Stimulus;
  const problem = stimulusProblem(stimulus);
  if (problem) {
    const field = problem.includes('amplitude') ? 'amplitude' : problem.includes('period') ? 'period' : problem.includes('width') ? 'width' : 'count';
    return { ok: false, field, message: problem };
  }
  return { ok: true, stimulus };
}

export function StimulusBar({
  texts,
  onChange,
  noise,
  onNoise,
}: {
  texts: StimulusTexts;
  onChange: (texts: StimulusTexts) => void;
  noise: boolean;
  onNoise: (noise: boolean) => void;
}) {
  const parsed = parseStimulus(texts);
  const bad = parsed.ok ? null : parsed.field;
  return (
    <div className="dev-stimulus">
      <div className="dev-stimulus-row" role="group" aria-label="Spike train">
        <span className="dev-stimulus-title">Spike train</span>
        {FIELDS.map((f) => (
          <label key={f.key} className="dev-stimulus-field">
            {f.label}
            <input
              className={`dev-input mono dev-input-short${bad === f.key ? ' is-invalid' : ''}`}
              value={texts[f.key]}
              aria-invalid={bad === f.key ? true : undefined}
              aria-describedby={bad === f.key ? 'dev-stimulus-error' : undefined}
              onChange={(e) => onChange({ ...texts, [f.key]: e.target.value })}
            />
          </label>
        ))}
        <label className="dev-check" title="Cycle-to-cycle, device-to-device and read noise of the preset's variation (seeded: the same every time)">
          <input type="checkbox" checked={noise} onChange={(e) => onNoise(e.target.checked)} /> Noise
        </label>
      </div>
      {!parsed.ok && (
        <p className="dev-field-error" id="dev-stimulus-error" role="alert">
          {parsed.message[0]!.toUpperCase() + parsed.message.slice(1)}. The curves show the last valid train.
        </p>
      )}
    </div>
  );
}
