import { createDevice } from '../../shared/device';
import {
  compileProtocol,
  displayPath,
  estimateEnergy,
  estimateProgram,
  formatLimit,
  LIMIT_NAMES,
  parseProtocolJson,
  type Problem,
  type ProgramEstimate,
  type SafetyLimits,
} from '../../shared/protocol';
import { formatCount, formatDuration, formatPercent, formatSI } from '../../shared/units';
import { protocolFile } from '../services/library';
import { readUserText } from '../services/files/read-user-file';
import { forTerminal, inline } from './terminal-text';
import { UsageError } from './args';
import { defineCommand } from './command';
import { DEFAULT_SEED, resolveDevicePreset } from './simulate';

/**
 * `workbench protocol validate FILE` and `workbench protocol estimate FILE [--device PRESET]`.
 * Exit 0 with the result, or exit 1 listing every problem of the document with its path (on
 * stderr; with --json, as one JSON document on stdout).
 */
const subcommands = ['validate', 'estimate'] as const;

export const protocolCommand = defineCommand({
  name: 'protocol',
  synopsis: 'protocol validate|estimate NAME|FILE [--device PRESET|FILE] [--json]',
  summary: 'Check a protocol (every problem with its path) or estimate its duration, pulses, reads, max |V| and, with a device, energy.',
  positionals: [2, 2],
  flags: {
    device: { type: 'string', description: 'estimate: also the energy on this device (a shipped or saved preset, or a preset file)', placeholder: 'PRESET|FILE' },
    'data-dir': { type: 'string', description: 'data folder whose saved presets --device may name', placeholder: 'D' },
    json: { type: 'boolean', description: 'print one JSON document' },
  },
  async run(flags, [sub, target]) {
    if (!(subcommands as readonly string[]).includes(sub!)) {
      throw new UsageError(`unknown subcommand '${sub}': use validate or estimate`);
    }
    const file = protocolFile(target!);
    // Only a regular file, up to the protocol cap: `protocol validate /dev/zero` is refused, not read forever.
    const text = readUserText(file, 'protocol');
    const result = parseProtocolJson(text);
    if (!result.ok) return reportProblems(file, result.problems, !!flags.json);

    if (sub === 'validate') {
      const doc = result.document;
      if (flags.json) process.stdout.write(`${JSON.stringify({ ok: true, file, name: doc.name, blocks: doc.blocks.length, limits: result.limits })}\n`);
      else process.stdout.write(`${inline(file)}: a valid protocol, '${inline(doc.name)}' (${doc.blocks.length} top-level block${doc.blocks.length === 1 ? '' : 's'})\n`);
      return 0;
    }

    const compiled = compileProtocol(result.document);
    if (!compiled.ok) return reportProblems(file, compiled.problems, !!flags.json);
    const estimate = estimateProgram(compiled.program);
    let energy: EnergyOut | null = null;
    if (flags.device) {
      const preset = resolveDevicePreset(flags.device, flags['data-dir']);
      // Noise off: the energy of the nominal device; an `until` then stops where the model says.
      const e = estimateEnergy(compiled.program, createDevice(preset, { seed: DEFAULT_SEED, noise: false }));
      energy = {
        device: preset.name,
        model: preset.model,
        energyJ: e.energy,
        maxPulseCurrentA: e.maxPulseCurrent,
        exceedsCompliance: e.exceedsCompliance,
        dataDependent: e.dataDependent,
      };
    }
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({
          ok: true,
          file,
          name: result.document.name,
          durationS: estimate.duration.value,
          exact: !estimate.dataDependent,
          pulses: estimate.pulses.value,
          reads: estimate.reads.value,
          maxAbsVoltage: estimate.maxAbsVoltage,
          maxWidthS: estimate.maxWidth,
          maxDutyCycle: estimate.maxDutyCycle,
          limits: compiled.program.limits,
          energy,
        })}\n`,
      );
    } else {
      process.stdout.write(formatEstimate(inline(file), inline(result.document.name), estimate, compiled.program.limits, energy));
    }
    if (energy?.exceedsCompliance) {
      process.stderr.write(
        `workbench protocol: warning: a pulse would draw ${formatSI(energy.maxPulseCurrentA, 'A')} on ${energy.device}, above the compliance current of ${formatSI(compiled.program.limits.compliance, 'A')}; the instrument would limit it\n`,
      );
    }
    return 0;
  },
});

interface EnergyOut {
  device: string;
  model: string;
  energyJ: number;
  maxPulseCurrentA: number;
  exceedsCompliance: boolean;
  dataDependent: boolean;
}

function reportProblems(file: string, problems: readonly Problem[], json: boolean): number {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: false, file, problems: problems.map((p) => ({ path: displayPath(p.path), code: p.code, message: p.message })) })}\n`);
  } else {
    const n = problems.length;
    const lines = [`${file} is not a valid protocol (${n} problem${n === 1 ? '' : 's'}):`, ...problems.map((p) => `  ${displayPath(p.path)}: ${p.message}`)];
    process.stderr.write(`${forTerminal(lines.join('\n'))}\n`);
  }
  return 1;
}

function formatEstimate(file: string, name: string, e: ProgramEstimate, limits: SafetyLimits, energy: EnergyOut | null): string {
  const bound = e.dataDependent ? 'at most ' : '';
  const rows: [string, string][] = [
    ['duration', `${bound}${formatDuration(e.duration.value)}`],
    ['pulses', `${bound}${formatCount(e.pulses.value)}`],
    ['reads', `${bound}${formatCount(e.reads.value)}`],
    ['max |V|', formatSI(e.maxAbsVoltage, 'V', { digits: 3 })],
    ['longest pulse', e.maxWidth > 0 ? formatSI(e.maxWidth, 's') : '—'],
    ['max duty cycle', e.maxDutyCycle > 0 ? formatPercent(e.maxDutyCycle) : '—'],
  ];
  if (energy) {
    rows.push(['energy', `${formatSI(energy.energyJ, 'J')} on ${energy.device} (noise off${energy.dataDependent ? '; where the model stops the until' : ''})`]);
    rows.push(['max pulse current', `${formatSI(energy.maxPulseCurrentA, 'A')} (compliance ${formatSI(limits.compliance, 'A')})`]);
  }
  rows.push(['limits', LIMIT_NAMES.map((n) => `${n} ${formatLimit(n, limits[n])}`).join(', ')]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`Estimate for '${name}' (${file})`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (e.dataDependent) lines.push('  An until, forming or converge block stops when its measurement meets its target: the figures are worst cases (upper bounds).');
  return `${lines.join('\n')}\n`;
}
