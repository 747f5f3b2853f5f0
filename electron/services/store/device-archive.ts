/**
 * The device-centric views of the archive (#14): a device's timeline, a chip's map of per-device
 * figures, and the values the variability statistics are computed from. Each reads run_figures /
 * run_cycles (migration 10), which hold each ended run's figures (shared/lab/run-figures.ts):
 * computed here from its samples the first time a view needs them, then kept, so a view is a few
 * indexed queries however long the runs were.
 */
import type { StoreContext } from './context';
import type { LabDevices } from './lab-devices';
import { readSamples } from './samples';
import { checkUuid, invalid } from './validate';
import { formingAfter, runFigures, type FormingState, type RunFigures } from '../../../shared/lab/run-figures';
import { median } from '../../../shared/stats';
import { deviceSwitches } from '../../../shared/variability';
import { replayProtocol } from '../../../shared/protocol/replay';
import { analysisOptions } from '../../../shared/analysis';

export interface TimelineEntry {
  /** 'run': a protocol run; 'rl': an RL run on the device. */
  kind: 'run' | 'rl';
  id: string;
  name: string;
  status: string;
  protocolName: string | null;
  createdAt: string;
  endedAt: string | null;
  samples: number;
  pulses: number;
  /** Pulses the device had received by the end of this run. */
  cumulativePulses: number;
  /** Σ |V|·width of this run's pulses, V·s (null for RL runs, whose pulse widths are not kept). */
  stressVs: number | null;
  cumulativeStressVs: number;
  cycles: number;
  /** The device's forming state after this run (shared/lab/run-figures.ts formingAfter). */
  forming: FormingState;
  /** The last HRS/LRS the device showed by this run (Ω). */
  hrs: number | null;
  lrs: number | null;
}

export interface ChipCell {
  deviceId: string;
  name: string;
  wordLine: number | null;
  bitLine: number | null;
  runs: number;
  pulses: number;
  /** Cycles in which both the SET and the RESET were seen (shared/analysis). */
  cyclesSurvived: number;
  /** 1 when the device switches (median HRS / median LRS ≥ 2, shared/variability's deviceSwitches), else 0; null without any cycle. */
  yield: number | null;
  medianHrs: number | null;
  medianLrs: number | null;
  /** medianHrs / medianLrs. */
  onOff: number | null;
}

export interface VariabilityValues {
  /** 'c2c': one value per cycle; 'd2d': one per device (its median over its cycles). */
  mode: 'c2c' | 'd2d';
  devices: number;
  hrs: number[];
  lrs: number[];
  vSet: number[];
  vReset: number[];
}

interface CycleRow {
  device_id: string;
  hrs: number | null;
  lrs: number | null;
  v_set: number | null;
  v_reset: number | null;
  switched: 0 | 1;
}

interface DeviceFigureRow {
  pulses: number | null;
  survived: number | null;
  hrs: number | null;
  lrs: number | null;
  switches: 0 | 1 | null;
}

interface MissingRow {
  id: string;
  device_id: string;
  protocol_json: string | null;
  device_json: string | null;
}


export class DeviceArchive {
  constructor(
    private readonly ctx: StoreContext,
    private readonly lab: LabDevices,
  ) {}

  /** Computes and keeps the figures of the ended runs of these devices that have none yet. Returns how many. */
  ensureFigures(deviceIds: readonly string[]): number {
    const q = this.ctx.stmt('SELECT r.id, r.device_id, r.protocol_json, r.device_json FROM pending_figures p CROSS JOIN runs r ON r.id = p.run_id WHERE r.device_id = ?');
    let n = 0;
    for (const deviceId of deviceIds) n += this.compute(q.all(deviceId) as MissingRow[]);
    return n;
  }

  /** ensureFigures for every device of a chip, in one query. */
  private ensureChipFigures(chipId: string): number {
    const q = this.ctx.stmt(
      // CROSS JOIN keeps this order: the (usually empty) pending list first, never the chip's every run.
      'SELECT r.id, r.device_id, r.protocol_json, r.device_json FROM pending_figures p CROSS JOIN runs r ON r.id = p.run_id CROSS JOIN lab_devices d ON d.id = r.device_id WHERE d.chip_id = ?',
    );
    return this.compute(q.all(chipId) as MissingRow[]);
  }

  private compute(missing: readonly MissingRow[]): number {
    for (const r of missing) {
      const samples = readSamples(this.ctx, r.id);
      const protocol = r.protocol_json === null ? null : (JSON.parse(r.protocol_json) as unknown);
      const replay = replayProtocol(protocol, samples);
      // The extraction `workbench analyze` makes: the preset's read voltage, the sweeps' compliance.
      const device = r.device_json === null ? null : (JSON.parse(r.device_json) as unknown);
      this.saveFigures(r.id, r.device_id, runFigures(samples, replay.width, analysisOptions(protocol, device)));
    }
    return missing.length;
  }

  /** Stores a run's figures (replacing any). */
  saveFigures(runId: string, deviceId: string, f: RunFigures): void {
    this.ctx.tx(() => {
      this.ctx.stmt('DELETE FROM run_cycles WHERE run_id = ?').run(runId);
      this.ctx
        .stmt('INSERT OR REPLACE INTO run_figures (run_id, device_id, pulses, stress_vs, cycles, hrs, lrs, v_set, v_reset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(runId, deviceId, f.pulses, f.stressVs, f.cycles.length, f.hrs, f.lrs, f.vSet, f.vReset);
      const insert = this.ctx.stmt('INSERT INTO run_cycles (run_id, cycle, device_id, hrs, lrs, v_set, v_reset, switched) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const c of f.cycles) insert.run(runId, c.cycle, deviceId, c.hrs, c.lrs, c.vSet, c.vReset, c.switched ? 1 : 0);
    });
  }

  /** Every run and RL run of a device, oldest first, with cumulative pulses and stress, forming state and last HRS/LRS. */
  timeline(deviceId: string): TimelineEntry[] {
    const id = this.lab.getDevice(deviceId).id;
    this.ensureFigures([id]);
    const rows = this.ctx
      .stmt(
        `SELECT 'run' AS kind, r.id, r.name, r.status, r.protocol_name, r.created_at, r.ended_at, r.sample_count, r.initial_g, r.max_g, r.tags,
                f.pulses, f.stress_vs, f.cycles, f.hrs, f.lrs, r.rowid AS seq
           FROM runs r LEFT JOIN run_figures f ON f.run_id = r.id WHERE r.device_id = ?
         UNION ALL
         SELECT 'rl', q.id, q.name, q.status, q.definition_name, q.created_at, q.ended_at, 0, NULL, NULL, '[]',
                (SELECT coalesce(sum(e.pulses), 0) FROM rl_device_episodes e WHERE e.run_id = q.id), NULL, 0, NULL, NULL, q.rowid
           FROM rl_runs q WHERE q.device_id = ?
         ORDER BY 6, 1, seq`,
      )
      .all(id, id) as {
      kind: 'run' | 'rl';
      id: string;
      name: string;
      status: string;
      protocol_name: string | null;
      created_at: string;
      ended_at: string | null;
      sample_count: number;
      initial_g: number | null;
      max_g: number | null;
      tags: string;
      pulses: number | null;
      stress_vs: number | null;
      cycles: number | null;
      hrs: number | null;
      lrs: number | null;
    }[];
    let pulses = 0;
    let stress = 0;
    let forming: FormingState = 'pristine';
    let hrs: number | null = null;
    let lrs: number | null = null;
    return rows.map((r) => {
      const p = r.pulses ?? 0;
      pulses += p;
      stress += r.stress_vs ?? 0;
      if (r.hrs !== null) hrs = r.hrs;
      if (r.lrs !== null) lrs = r.lrs;
      forming = formingAfter(forming, { pulses: p, initialG: r.initial_g, maxG: r.max_g, hrs: r.hrs, lrs: r.lrs, named: `${r.name} ${r.protocol_name ?? ''}`, tags: JSON.parse(r.tags) as string[] });
      return {
        kind: r.kind,
        id: r.id,
        name: r.name,
        status: r.status,
        protocolName: r.protocol_name,
        createdAt: r.created_at,
        endedAt: r.ended_at,
        samples: r.sample_count,
        pulses: p,
        cumulativePulses: pulses,
        stressVs: r.kind === 'rl' ? null : (r.stress_vs ?? 0),
        cumulativeStressVs: stress,
        cycles: r.cycles ?? 0,
        forming,
        hrs,
        lrs,
      };
    });
  }

  /** One cell per device of a chip (by word line, bit line), with its per-device figures. */
  chipMap(chipId: string): ChipCell[] {
    const chip = this.lab.getChip(chipId);
    this.ensureChipFigures(chip.id);
    const select = () =>
      this.ctx
        .stmt(
          `SELECT d.id, d.name, d.word_line, d.bit_line, (SELECT count(*) FROM runs r WHERE r.device_id = d.id) AS runs,
                  df.device_id AS summarised, df.pulses, df.survived, df.hrs, df.lrs, df.switches
             FROM lab_devices d LEFT JOIN device_figures df ON df.device_id = d.id
            WHERE d.chip_id = ? AND d.archived_at IS NULL ORDER BY d.word_line, d.bit_line, d.name`,
        )
        .all(chip.id) as (DeviceFigureRow & { id: string; name: string; word_line: number | null; bit_line: number | null; runs: number; summarised: string | null })[];
    let rows = select();
    if (rows.some((r) => r.summarised === null)) {
      for (const r of rows) if (r.summarised === null) this.deviceFigures(r.id);
      rows = select();
    }
    return rows.map((d) => ({
      deviceId: d.id,
      name: d.name,
      wordLine: d.word_line,
      bitLine: d.bit_line,
      runs: d.runs,
      pulses: d.pulses ?? 0,
      cyclesSurvived: d.survived ?? 0,
      yield: d.switches,
      medianHrs: d.hrs,
      medianLrs: d.lrs,
      onOff: d.hrs !== null && d.lrs !== null && d.lrs > 0 ? d.hrs / d.lrs : null,
    }));
  }

  /**
   * The values the variability statistics are computed from, over the devices given (or every
   * device of a chip): per cycle (C2C) or per device, its median over its cycles (D2D).
   */
  variability(selection: { deviceIds?: readonly string[]; chipId?: string }, mode: 'c2c' | 'd2d'): VariabilityValues {
    if (mode !== 'c2c' && mode !== 'd2d') throw invalid(`mode must be 'c2c' or 'd2d', got ${String(mode)}`);
    let rows: { hrs: number | null; lrs: number | null; v_set: number | null; v_reset: number | null }[];
    let devices: number;
    if (selection.chipId !== undefined) {
      const chip = { id: this.lab.requireChip(selection.chipId) };
      this.ensureChipFigures(chip.id);
      const q = this.ctx.stmt(
        'SELECT d.id, df.device_id AS summarised, df.hrs, df.lrs, df.v_set, df.v_reset FROM lab_devices d LEFT JOIN device_figures df ON df.device_id = d.id WHERE d.chip_id = ? AND d.archived_at IS NULL',
      );
      let summaries = q.all(chip.id) as (CycleRow & { id: string; summarised: string | null })[];
      if (summaries.some((r) => r.summarised === null)) {
        for (const r of summaries) if (r.summarised === null) this.deviceFigures(r.id);
        summaries = q.all(chip.id) as (CycleRow & { id: string; summarised: string | null })[];
      }
      devices = summaries.length;
      rows = mode === 'd2d' ? summaries : this.chipCycles(chip.id);
    } else {
      const ids = (selection.deviceIds ?? []).map((d) => this.lab.getDevice(checkUuid(d, 'device id')).id);
      if (ids.length === 0) throw invalid('choose at least one device (or a chip) for the statistics');
      devices = ids.length;
      this.ensureFigures(ids);
      rows = [];
      if (mode === 'd2d') {
        for (const d of ids) rows.push(this.deviceFigures(d));
      } else {
        const q = this.ctx.stmt('SELECT device_id, hrs, lrs, v_set, v_reset, switched FROM run_cycles WHERE device_id = ?');
        for (const d of ids) rows.push(...(q.all(d) as CycleRow[]));
      }
    }
    const out: VariabilityValues = { mode, devices, hrs: [], lrs: [], vSet: [], vReset: [] };
    const push = (xs: number[], x: number | null) => {
      if (x !== null && Number.isFinite(x)) xs.push(x);
    };
    for (const r of rows) {
      push(out.hrs, r.hrs);
      push(out.lrs, r.lrs);
      push(out.vSet, r.v_set);
      push(out.vReset, r.v_reset);
    }
    return out;
  }

  /** A device's cycles summarised (kept in device_figures until its run figures change). */
  private deviceFigures(deviceId: string): DeviceFigureRow & { v_set: number | null; v_reset: number | null } {
    const kept = this.ctx.stmt('SELECT pulses, survived, hrs, lrs, v_set, v_reset, switches FROM device_figures WHERE device_id = ?').get(deviceId) as
      | (DeviceFigureRow & { v_set: number | null; v_reset: number | null })
      | undefined;
    if (kept !== undefined) return kept;
    const cs = this.ctx.stmt('SELECT device_id, hrs, lrs, v_set, v_reset, switched FROM run_cycles WHERE device_id = ?').all(deviceId) as CycleRow[];
    const pulses = (this.ctx.stmt('SELECT coalesce(sum(pulses), 0) FROM run_figures WHERE device_id = ?').pluck().get(deviceId) as number) ?? 0;
    const hrs = cs.map((c) => c.hrs);
    const lrs = cs.map((c) => c.lrs);
    const row = {
      pulses,
      survived: cs.filter((c) => c.switched === 1).length,
      hrs: median(hrs),
      lrs: median(lrs),
      v_set: median(cs.map((c) => c.v_set)),
      v_reset: median(cs.map((c) => c.v_reset)),
      switches: cs.length === 0 ? null : deviceSwitches(hrs, lrs) ? (1 as const) : (0 as const),
    };
    this.ctx
      .stmt('INSERT OR REPLACE INTO device_figures (device_id, pulses, cycles, survived, hrs, lrs, v_set, v_reset, switches) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(deviceId, row.pulses, cs.length, row.survived, row.hrs, row.lrs, row.v_set, row.v_reset, row.switches);
    return row;
  }

  private chipCycles(chipId: string): CycleRow[] {
    return this.ctx
      .stmt('SELECT c.device_id, c.hrs, c.lrs, c.v_set, c.v_reset, c.switched FROM run_cycles c JOIN lab_devices d ON d.id = c.device_id WHERE d.chip_id = ? AND d.archived_at IS NULL')
      .all(chipId) as CycleRow[];
  }
}
