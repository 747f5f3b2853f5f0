/**
 * The archive's side of the device-centric files (#14): which device each run is on (the Parquet
 * export's device column, a device's selection of runs) and the import of an ArC ONE session as a
 * chip, its devices and their runs — all of it in one transaction, so a refused file leaves nothing.
 */
import type { StoreContext } from './context';
import type { LabDevices } from './lab-devices';
import type { Runs } from './runs';
import type { Columns } from './samples';
import { checkUuid, invalid } from './validate';
import { SampleWriter, writerStart } from './samples';

export interface RunOnDevice {
  runId: string;
  deviceId: string;
}

export interface ImportedDevice {
  wordLine: number;
  bitLine: number;
  runs: readonly ImportedRun[];
}

export interface ImportedRun {
  name: string;
  tags: string[];
  notes: string;
  samples: Columns;
}

export interface ImportedChip {
  sampleName: string;
  sampleNotes: string;
  chipName: string;
  experimentName: string;
  rows: number;
  cols: number;
  devices: readonly ImportedDevice[];
}

export interface ChipImport {
  sampleId: string;
  chipId: string;
  devices: number;
  runs: number;
  samples: number;
}

export class LabFiles {
  constructor(
    private readonly ctx: StoreContext,
    private readonly lab: LabDevices,
    private readonly runs: Runs,
  ) {}

  /** The device of each run, in the order given. */
  devicesOfRuns(runIds: readonly string[]): RunOnDevice[] {
    const q = this.ctx.stmt('SELECT device_id FROM runs WHERE id = ?').pluck();
    return runIds.map((r) => {
      const runId = checkUuid(r, 'run id');
      const deviceId = q.get(runId) as string | null | undefined;
      if (deviceId === undefined) this.runs.get(runId); // not_found, named
      if (typeof deviceId !== 'string') throw invalid(`run ${runId} has no device`);
      return { runId, deviceId };
    });
  }

  /** The runs of a device, oldest first (not RL runs: they keep no samples). */
  runsOfDevice(deviceId: string): string[] {
    const id = this.lab.getDevice(checkUuid(deviceId, 'device id')).id;
    return this.ctx.stmt('SELECT id FROM runs WHERE device_id = ? ORDER BY created_at, id').pluck().all(id) as string[];
  }

  /** A new sample with one chip, its devices at their coordinates and each device's runs (ended 'completed'), in one transaction. */
  importChip(chip: ImportedChip): ChipImport {
    return this.ctx.tx(() => {
      const sample = this.lab.createSample({ name: chip.sampleName, kind: 'piece', notes: chip.sampleNotes });
      const c = this.lab.createChip({ sampleId: sample.id, name: chip.chipName, rows: chip.rows, cols: chip.cols });
      let runs = 0;
      let samples = 0;
      for (const d of chip.devices) {
        const device = this.lab.createDevice({ chipId: c.id, wordLine: d.wordLine, bitLine: d.bitLine });
        for (const r of d.runs) {
          const run = this.runs.create({ experimentName: chip.experimentName, name: r.name, status: 'running', deviceId: device.id, tags: r.tags, notes: r.notes });
          const writer = new SampleWriter(this.ctx, run.id, writerStart(this.ctx, run.id));
          this.ctx.writers.set(run.id, writer);
          try {
            writer.append(r.samples);
            writer.close();
          } finally {
            writer.detach('imported');
          }
          this.runs.setStatus(run.id, 'completed');
          runs++;
          samples += r.samples.length;
        }
      }
      return { sampleId: sample.id, chipId: c.id, devices: chip.devices.length, runs, samples };
    });
  }
}
