import { readFileSync } from 'node:fs';
import { builtInPresets, createDevice, DEFAULT_PRESET_NAME, parseDevicePresetText, type DevicePreset } from '../../../../shared/device';
import type { Seed } from '../../../../shared/random';
import type { EmulatedModel } from './dut';

/** A built-in preset by name, or a preset JSON file by path. */
export function loadPreset(nameOrFile: string = DEFAULT_PRESET_NAME): DevicePreset {
  const builtIn = builtInPresets.find((p) => p.name === nameOrFile);
  if (builtIn) return builtIn;
  if (!nameOrFile.endsWith('.json')) {
    throw new Error(`unknown device preset '${nameOrFile}' (built in: ${builtInPresets.map((p) => p.name).join(', ')}; or give a .json file)`);
  }
  let text: string;
  try {
    text = readFileSync(nameOrFile, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the device preset ${nameOrFile}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = parseDevicePresetText(text);
  if (!parsed.ok) throw new Error(`${nameOrFile} is not a valid device preset: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.preset;
}

export function modelFromPreset(preset: DevicePreset | string | undefined, seed: Seed, noise: boolean): EmulatedModel {
  const p = typeof preset === 'object' ? preset : loadPreset(preset);
  return createDevice(p, { seed, noise });
}
