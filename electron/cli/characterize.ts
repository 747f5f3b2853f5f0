import { ablations, canAblate, characterize, type Ablation, type Characterization } from '../../shared/device';
import { formatDeltaG } from '../../shared/units';
import { UsageError } from './args';
import { defineCommand } from './command';
import { resolveDevicePreset } from './simulate';
import { forTerminal } from './terminal-text';

/**
 * `workbench characterize`: a device's second-order signatures in one document (paired-pulse
 * index and its half-decay interval, rate dependence, the paper train's depression and recovery),
 * with the second state optionally frozen to show what it contributes. Noise off: the model's
 * equations, not one noisy draw.
 */
export const characterizeCommand = defineCommand({
  name: 'characterize',
  synopsis: 'characterize --device PRESET|FILE [--ablate second-state] [--json]',
  summary: "Measure a device model's signatures: paired-pulse index against the interval, its half-decay interval, ΔG against the train period, the paper train's ΔG and recovery.",
  flags: {
    device: { type: 'string', description: 'a shipped preset (intrinsic-gradient, filamentary, ideal), a saved one (with --data-dir) or a preset file', placeholder: 'PRESET|FILE' },
    ablate: { type: 'string', choices: [...ablations], description: 'switch part of the physics off: second-state freezes the barrier s at 0' },
    'data-dir': { type: 'string', description: 'data folder whose saved presets --device may name', placeholder: 'D' },
    json: { type: 'boolean', description: 'print one JSON document: {"pairedPulse": [{"intervalS", "index"}], "halfDecayIntervalS", "rate": [{"periodS", "deltaGPercent"}], "paperTrain": {"deltaGPercent", "g100", "g600"}}' },
  },
  async run(flags) {
    if (!flags.device) throw new UsageError('--device is required: a shipped preset name, a saved preset name or a preset file');
    const preset = resolveDevicePreset(flags.device, flags['data-dir']);
    const ablate: Ablation[] = flags.ablate ? [flags.ablate as Ablation] : [];
    for (const a of ablate) {
      if (!canAblate(preset.model, a)) throw new UsageError(`--ablate ${a}: the ${preset.model} model has no second state to freeze`);
    }
    const result = characterize(preset, { ablate });
    process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : forTerminal(humanReport(result)));
    return 0;
  },
});

const num = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const seconds = (s: number) => (s < 1 ? `${s * 1000} ms` : `${s} s`);

function humanReport(c: Characterization): string {
  const out = [
    `${c.device} (${c.model} model${c.ablate.length ? `, ${c.ablate.join(', ')} frozen` : ''}), spikes of ${c.spike.amplitude} V, ${seconds(c.spike.width)}, noise off`,
    '',
    'Paired-pulse index (fraction of G − G_min removed by spike 2 ÷ by spike 1; each pair on a fresh device):',
    ...c.pairedPulse.map((p) => `  ${seconds(p.intervalS).padStart(8)}  ${num(p.index, 3)}`),
    `  half-decay interval: ${c.halfDecayIntervalS === null ? 'none (the index stays within 0.01 of 1)' : `${num(c.halfDecayIntervalS, 1)} s`}`,
    '',
    'Rate dependence (ΔG after 100 spikes from a fresh device):',
    ...c.rate.map((r) => `  period ${seconds(r.periodS).padStart(8)}  ${formatDeltaG(r.deltaGPercent)}`),
    '',
    `Paper train (100 × 2 V, 10 ms at 1 Hz): ΔG = ${formatDeltaG(c.paperTrain.deltaGPercent, { decimals: 2 })}; G/G₀ = ${num(c.paperTrain.g100, 3)} after 100 s, ${num(c.paperTrain.g600, 3)} after 600 s`,
    '',
  ];
  return out.join('\n');
}
