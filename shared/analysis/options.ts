/**
 * What a stored run tells the switching extraction beyond its samples: the read voltage of its
 * simulated device's preset (used when the run reads nothing and HRS/LRS come from the sweep's
 * branches) and the positive compliance of each of its protocol's sweep blocks (used when no
 * sample was flagged in compliance). One function, so `workbench analyze`, the Archive and the
 * device archive's per-run figures (`workbench stats`, the timeline, the chip map) agree.
 */
import { compileProtocol } from '../protocol';
import type { AnalysisOptions } from './extract';

export function analysisOptions(protocol: unknown, device: unknown): AnalysisOptions {
  const options: { readVoltage?: number; positiveCompliance?: ReadonlyMap<number, number> } = {};
  const preset = isRecord(device) && isRecord(device.presetDocument) ? device.presetDocument : null;
  const vr = preset?.readVoltage;
  if (typeof vr === 'number' && vr > 0 && Number.isFinite(vr)) options.readVoltage = vr;
  if (protocol !== null && protocol !== undefined) {
    const compiled = compileProtocol(protocol);
    if (compiled.ok) {
      const byBlock = new Map<number, number>();
      for (const ins of compiled.program.instructions) if (ins.kind === 'step') byBlock.set(ins.block, ins.compliance.positive);
      if (byBlock.size > 0) options.positiveCompliance = byBlock;
    }
  }
  return options;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
