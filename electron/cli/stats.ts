import { variabilityReport, type Summary } from '../../shared/variability';
import { UsageError } from './args';
import { defineCommand } from './command';
import { resolveChip } from './devices';
import { call } from './router-call';
import { inline } from './terminal-text';
import { openCliServices } from './services';

/**
 * `workbench stats`: the variability statistics of a device (cycle to cycle) or of a chip (device
 * to device: each device's median over its cycles), from the archive's per-cycle figures
 * (shared/lab/run-figures.ts) summarised by shared/variability — the numbers the Devices page shows.
 */
export const statsCommand = defineCommand({
  name: 'stats',
  synopsis: 'stats --device ID | --chip ID|NAME [--mode c2c|d2d] [--data-dir D] [--json]',
  summary:
    'Variability statistics — median, CV %, on/off window of HRS, LRS, V_set and V_reset, and the yield (the fraction of devices whose median HRS / median LRS ≥ 2, ours) — of a device (cycle to cycle) or a chip (device to device).',
  flags: {
    device: { type: 'string', description: 'one device (its id): its cycles', placeholder: 'ID' },
    chip: { type: 'string', description: "every device of a chip (its id, or its name when no other chip has it; 'workbench devices' lists them)", placeholder: 'ID|NAME' },
    mode: { type: 'string', description: 'c2c: one value per cycle; d2d: one per device, its median (default: c2c for a device, d2d for a chip)', choices: ['c2c', 'd2d'] },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"devices", "yield", "hrs": {"median", "cv", …}, "lrs", "vSet", "vReset", "onOff"} as JSON' },
  },
  async run(flags) {
    if ((flags.device === undefined) === (flags.chip === undefined)) throw new UsageError('give --device ID or --chip ID, one of them');
    const mode = (flags.mode ?? (flags.chip !== undefined ? 'd2d' : 'c2c')) as 'c2c' | 'd2d';
    const services = openCliServices(flags['data-dir']);
    try {
      let chipId: string;
      let deviceIds: string[] | null = null;
      if (flags.device !== undefined) {
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(flags.device)) {
          throw new UsageError(`--device: "${inline(flags.device)}" is not a device id (a UUID; 'workbench devices' lists them)`);
        }
        const device = (await call(services, 'samples.devices.timeline', { id: flags.device })).device;
        chipId = device.chipId;
        deviceIds = [device.id];
      } else chipId = resolveChip(await call(services, 'samples.chips.list', {}), flags.chip as string, '--chip').id;
      const values = await call(services, 'samples.variability', deviceIds === null ? { chipId, mode } : { deviceIds, mode });
      const cells = (await call(services, 'samples.chips.map', { id: chipId })).cells;
      const selected = deviceIds === null ? cells : deviceIds.map((id) => cells.find((c) => c.deviceId === id));
      const report = variabilityReport(values, selected.map((c) => c?.yield === 1));
      if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(describe(report));
      return 0;
    } finally {
      await services.close();
    }
  },
});

const fmt = (x: number | null, unit: string) => (x === null ? '—' : `${Number(x.toPrecision(4))} ${unit}`);
const line = (name: string, s: Summary, unit: string) => `${name.padEnd(8)} median ${fmt(s.median, unit)}, CV ${s.cv === null ? '—' : `${s.cv.toFixed(1)} %`} (n = ${s.n})\n`;

function describe(r: ReturnType<typeof variabilityReport>): string {
  return (
    `${r.devices} device(s), ${r.mode === 'c2c' ? 'cycle to cycle' : 'device to device'}; yield ${r.yield === null ? '—' : `${(100 * r.yield).toFixed(1)} %`}\n` +
    line('HRS', r.hrs, 'Ω') +
    line('LRS', r.lrs, 'Ω') +
    line('V_set', r.vSet, 'V') +
    line('V_reset', r.vReset, 'V') +
    `on/off   median ${r.onOff.medianRatio === null ? '—' : Number(r.onOff.medianRatio.toPrecision(4))}, worst case ${r.onOff.worstCaseRatio === null ? '—' : Number(r.onOff.worstCaseRatio.toPrecision(4))}\n`
  );
}
