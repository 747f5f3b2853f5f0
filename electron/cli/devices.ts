import type { LabChip, LabDevice, LabSample } from '../../shared/contract/areas/samples';
import { UsageError } from './args';
import { defineCommand } from './command';
import { call } from './router-call';
import { openCliServices } from './services';
import { inline } from './terminal-text';

/**
 * `workbench devices`: the archive's samples, chips and devices with their ids — the ids that
 * `run --device-id`, `stats --chip/--device` and `export --device` take — so a person at a terminal
 * finds them without opening the app.
 */
export const devicesCommand = defineCommand({
  name: 'devices',
  synopsis: 'devices [--chip ID|NAME] [--archived] [--data-dir D] [--json]',
  summary: "The archive's samples → chips → devices with their ids (what run --device-id, stats --chip / --device and export --device take), each device's crossbar place and number of runs.",
  flags: {
    chip: { type: 'string', description: "only this chip's devices (its id, or its name when no other chip has it)", placeholder: 'ID|NAME' },
    archived: { type: 'boolean', description: 'also list archived devices' },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print [{"sample": {…}, "chips": [{"chip": {…}, "devices": [{…}]}]}] as JSON' },
  },
  async run(flags) {
    const services = openCliServices(flags['data-dir']);
    try {
      const allChips = await call(services, 'samples.chips.list', {});
      const only = flags.chip === undefined ? null : resolveChip(allChips, flags.chip, '--chip');
      const samples = (await call(services, 'samples.list', {})).filter((s) => only === null || s.id === only.sampleId);
      const tree: { sample: LabSample; chips: { chip: LabChip; devices: LabDevice[] }[] }[] = [];
      for (const sample of samples) {
        const chips = allChips.filter((c) => c.sampleId === sample.id && (only === null || c.id === only.id));
        const withDevices = [];
        for (const chip of chips) withDevices.push({ chip, devices: await call(services, 'samples.devices.list', { chipId: chip.id, includeArchived: flags.archived === true }) });
        tree.push({ sample, chips: withDevices });
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(tree)}\n`);
      else process.stdout.write(describe(tree));
      return 0;
    } finally {
      await services.close();
    }
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A chip by its id or by a name only one chip has; anything else is a usage error that says what there is. */
export function resolveChip(chips: readonly LabChip[], given: string, flag: string): LabChip {
  if (UUID.test(given)) {
    const byId = chips.find((c) => c.id.toLowerCase() === given.toLowerCase());
    if (!byId) throw new UsageError(`${flag}: no chip has the id ${given} ('workbench devices' lists them)`);
    return byId;
  }
  const named = chips.filter((c) => c.name.toLowerCase() === given.trim().toLowerCase());
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new UsageError(`${flag}: ${named.length} chips are named "${inline(given)}" (${named.map((c) => `${inline(c.sampleName)}/${inline(c.name)} ${c.id}`).join(', ')}); give the id`);
  }
  throw new UsageError(`${flag}: no chip is named "${inline(given)}" and it is not a chip id ('workbench devices' lists the chips and their ids)`);
}

function describe(tree: { sample: LabSample; chips: { chip: LabChip; devices: LabDevice[] }[] }[]): string {
  if (tree.length === 0) return 'No samples in this archive.\n';
  let out = '';
  for (const { sample, chips } of tree) {
    out += `${inline(sample.name)} (${sample.kind}${sample.materialStack ? `, ${inline(sample.materialStack)}` : ''})\n`;
    for (const { chip, devices } of chips) {
      const size = chip.rows !== null && chip.cols !== null ? `, ${chip.rows} × ${chip.cols} crossbar` : '';
      out += `  chip ${inline(chip.name)}  ${chip.id}${size}\n`;
      for (const d of devices) {
        const place = d.wordLine !== null ? `WL${d.wordLine}/BL${d.bitLine}` : '';
        out += `    ${inline(d.name).padEnd(24)} ${d.id}  ${place.padEnd(11)} ${String(d.runs).padStart(5)} run${d.runs === 1 ? ' ' : 's'}${d.archivedAt ? '  archived' : ''}\n`;
      }
      if (devices.length === 0) out += '    (no devices)\n';
    }
  }
  return out;
}
