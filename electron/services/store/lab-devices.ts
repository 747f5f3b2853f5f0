/**
 * The device hierarchy (migration 10): samples (a wafer or a piece) → chips (a crossbar of
 * rows × cols, or a chip of single devices) → devices (at a word line and bit line on a crossbar),
 * and the virtual devices that hold runs naming no other (one per simulated preset, one per
 * instrument identity). Every check here is the store's: duplicate or out-of-crossbar coordinates
 * are refused, and a device with runs is never deleted (archive it instead).
 */
import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import type { LabChip, LabChipPatch, LabDevice, LabDevicePatch, LabSample, LabSamplePatch, NewLabChip, NewLabDevice, NewLabSample } from './lab-types';
import { INSTRUMENT_CHIP_ID, SIMULATED_CHIP_ID } from './migrations/010-lab-devices';
import { checkInteger, checkName, checkText, checkUuid, describe, invalid } from './validate';
import { deviceKeyForRlRun, deviceKeyForRun, virtualName } from './virtual-device-keys';

/** Largest crossbar side we accept (ours: ArC TWO drives 64 × 64; 4096 leaves room for wafer maps). */
export const MAX_CROSSBAR_SIDE = 4096;
/** Longest material-stack text. */
const MAX_STACK_LENGTH = 500;

interface SampleRow {
  id: string;
  name: string;
  kind: LabSample['kind'];
  material_stack: string;
  fabricated_on: string | null;
  notes: string;
  created_at: string;
  updated_at: string;
  chips: number;
  devices: number;
}
interface ChipRow {
  id: string;
  sample_id: string;
  sample_name: string;
  name: string;
  rows: number | null;
  cols: number | null;
  material_stack: string;
  notes: string;
  created_at: string;
  updated_at: string;
  devices: number;
}
interface DeviceRow {
  id: string;
  chip_id: string;
  chip_name: string;
  sample_id: string;
  sample_name: string;
  name: string;
  kind: LabDevice['kind'];
  virtual_key: string | null;
  word_line: number | null;
  bit_line: number | null;
  material_stack: string;
  area_m2: number | null;
  fabricated_on: string | null;
  notes: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  runs: number;
}

const SAMPLE_SELECT = `SELECT s.*, (SELECT count(*) FROM lab_chips c WHERE c.sample_id = s.id) AS chips,
  (SELECT count(*) FROM lab_devices d JOIN lab_chips c ON c.id = d.chip_id WHERE c.sample_id = s.id) AS devices FROM lab_samples s`;
const CHIP_SELECT = `SELECT c.*, s.name AS sample_name, (SELECT count(*) FROM lab_devices d WHERE d.chip_id = c.id) AS devices
  FROM lab_chips c JOIN lab_samples s ON s.id = c.sample_id`;
const DEVICE_SELECT = `SELECT d.*, c.name AS chip_name, c.sample_id, s.name AS sample_name,
  (SELECT count(*) FROM runs r WHERE r.device_id = d.id) + (SELECT count(*) FROM rl_runs q WHERE q.device_id = d.id) AS runs
  FROM lab_devices d JOIN lab_chips c ON c.id = d.chip_id JOIN lab_samples s ON s.id = c.sample_id`;

const toSample = (r: SampleRow): LabSample => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  materialStack: r.material_stack,
  fabricatedOn: r.fabricated_on,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  chips: r.chips,
  devices: r.devices,
});
const toChip = (r: ChipRow): LabChip => ({
  id: r.id,
  sampleId: r.sample_id,
  sampleName: r.sample_name,
  name: r.name,
  rows: r.rows,
  cols: r.cols,
  materialStack: r.material_stack,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  devices: r.devices,
});
const toDevice = (r: DeviceRow): LabDevice => ({
  id: r.id,
  chipId: r.chip_id,
  chipName: r.chip_name,
  sampleId: r.sample_id,
  sampleName: r.sample_name,
  name: r.name,
  kind: r.kind,
  virtualKey: r.virtual_key,
  wordLine: r.word_line,
  bitLine: r.bit_line,
  materialStack: r.material_stack,
  areaM2: r.area_m2,
  fabricatedOn: r.fabricated_on,
  notes: r.notes,
  archivedAt: r.archived_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  runs: r.runs,
});

/** A calendar date YYYY-MM-DD (a fabrication date), or null. */
export function checkDate(value: unknown, what: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid(`${what} must be a date YYYY-MM-DD, got ${describe(value)}`);
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw invalid(`${what} is not a calendar date: ${value}`);
  return value;
}

function checkArea(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(`device area must be a positive number of m², got ${describe(value)}`);
  return value;
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Error && /UNIQUE constraint failed/.test(e.message);
}

export class LabDevices {
  constructor(private readonly ctx: StoreContext) {}

  // ---- samples ----

  createSample(input: NewLabSample): LabSample {
    if (input === null || typeof input !== 'object') throw invalid('a new sample must be described by an object');
    const name = checkName(input.name, 'sample name');
    if (input.kind !== 'wafer' && input.kind !== 'piece') throw invalid(`a sample is a 'wafer' or a 'piece', got ${describe(input.kind)}`);
    const stack = checkText(input.materialStack ?? '', 'material stack', MAX_STACK_LENGTH);
    const fab = checkDate(input.fabricatedOn, 'fabrication date');
    const notes = checkText(input.notes ?? '', 'notes');
    const id = randomUUID();
    const now = this.ctx.now();
    try {
      this.ctx
        .stmt('INSERT INTO lab_samples (id, name, kind, material_stack, fabricated_on, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, name, input.kind, stack, fab, notes, now, now);
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreError('conflict', `There is already a sample called "${name}".`, { problems: [{ path: 'name', message: 'name is taken' }] });
      throw e;
    }
    return this.getSample(id);
  }

  getSample(id: string): LabSample {
    const key = checkUuid(id, 'sample id');
    const row = this.ctx.stmt(`${SAMPLE_SELECT} WHERE s.id = ?`).get(key) as SampleRow | undefined;
    if (!row) throw new StoreError('not_found', `No sample with id ${key}.`);
    return toSample(row);
  }

  /** Every sample, by name; the virtual one ("Virtual devices") last. */
  listSamples(): LabSample[] {
    return (this.ctx.stmt(`${SAMPLE_SELECT} ORDER BY s.kind = 'virtual', s.name`).all() as SampleRow[]).map(toSample);
  }

  updateSample(id: string, patch: LabSamplePatch): LabSample {
    const s = this.getSample(id);
    if (s.kind === 'virtual') throw new StoreError('conflict', `"${s.name}" holds the virtual devices; it cannot be changed.`);
    const name = patch.name === undefined ? s.name : checkName(patch.name, 'sample name');
    if (patch.kind !== undefined && patch.kind !== 'wafer' && patch.kind !== 'piece') throw invalid(`a sample is a 'wafer' or a 'piece', got ${describe(patch.kind)}`);
    const kind = patch.kind ?? s.kind;
    const stack = patch.materialStack === undefined ? s.materialStack : checkText(patch.materialStack, 'material stack', MAX_STACK_LENGTH);
    const fab = patch.fabricatedOn === undefined ? s.fabricatedOn : checkDate(patch.fabricatedOn, 'fabrication date');
    const notes = patch.notes === undefined ? s.notes : checkText(patch.notes, 'notes');
    try {
      this.ctx
        .stmt('UPDATE lab_samples SET name = ?, kind = ?, material_stack = ?, fabricated_on = ?, notes = ?, updated_at = ? WHERE id = ?')
        .run(name, kind, stack, fab, notes, this.ctx.now(), s.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreError('conflict', `There is already a sample called "${name}".`, { problems: [{ path: 'name', message: 'name is taken' }] });
      throw e;
    }
    return this.getSample(s.id);
  }

  // ---- chips ----

  createChip(input: NewLabChip): LabChip {
    if (input === null || typeof input !== 'object') throw invalid('a new chip must be described by an object');
    const sample = this.getSample(input.sampleId);
    if (sample.kind === 'virtual') throw new StoreError('conflict', `"${sample.name}" holds the virtual devices; add chips to a wafer or a piece.`);
    const name = checkName(input.name, 'chip name');
    const hasRows = input.rows !== undefined && input.rows !== null;
    const hasCols = input.cols !== undefined && input.cols !== null;
    if (hasRows !== hasCols) throw invalid('a crossbar needs both rows (word lines) and cols (bit lines); give both or neither');
    const rows = hasRows ? checkInteger(input.rows, 'rows (word lines)', 1, MAX_CROSSBAR_SIDE) : null;
    const cols = hasCols ? checkInteger(input.cols, 'cols (bit lines)', 1, MAX_CROSSBAR_SIDE) : null;
    const stack = checkText(input.materialStack ?? '', 'material stack', MAX_STACK_LENGTH);
    const notes = checkText(input.notes ?? '', 'notes');
    const id = randomUUID();
    const now = this.ctx.now();
    try {
      this.ctx
        .stmt('INSERT INTO lab_chips (id, sample_id, name, rows, cols, material_stack, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, sample.id, name, rows, cols, stack, notes, now, now);
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreError('conflict', `Sample "${sample.name}" already has a chip called "${name}".`, { problems: [{ path: 'name', message: 'name is taken' }] });
      throw e;
    }
    return this.getChip(id);
  }

  getChip(id: string): LabChip {
    const key = checkUuid(id, 'chip id');
    const row = this.ctx.stmt(`${CHIP_SELECT} WHERE c.id = ?`).get(key) as ChipRow | undefined;
    if (!row) throw new StoreError('not_found', `No chip with id ${key}.`);
    return toChip(row);
  }

  /** The chip's id, checked to exist ('not_found' otherwise): the cheap form of getChip for views. */
  requireChip(id: string): string {
    const key = checkUuid(id, 'chip id');
    if (this.ctx.stmt('SELECT 1 FROM lab_chips WHERE id = ?').get(key) === undefined) throw new StoreError('not_found', `No chip with id ${key}.`);
    return key;
  }

  listChips(sampleId?: string): LabChip[] {
    if (sampleId === undefined) return (this.ctx.stmt(`${CHIP_SELECT} ORDER BY s.kind = 'virtual', s.name, c.name`).all() as ChipRow[]).map(toChip);
    const key = checkUuid(sampleId, 'sample id');
    return (this.ctx.stmt(`${CHIP_SELECT} WHERE c.sample_id = ? ORDER BY c.name`).all(key) as ChipRow[]).map(toChip);
  }

  /** Name, stack and notes; a crossbar's size is fixed once made (its devices are placed on it). */
  updateChip(id: string, patch: LabChipPatch): LabChip {
    const c = this.getChip(id);
    if (c.id === SIMULATED_CHIP_ID || c.id === INSTRUMENT_CHIP_ID) throw new StoreError('conflict', `"${c.name}" holds virtual devices; it cannot be changed.`);
    const name = patch.name === undefined ? c.name : checkName(patch.name, 'chip name');
    const stack = patch.materialStack === undefined ? c.materialStack : checkText(patch.materialStack, 'material stack', MAX_STACK_LENGTH);
    const notes = patch.notes === undefined ? c.notes : checkText(patch.notes, 'notes');
    try {
      this.ctx.stmt('UPDATE lab_chips SET name = ?, material_stack = ?, notes = ?, updated_at = ? WHERE id = ?').run(name, stack, notes, this.ctx.now(), c.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw new StoreError('conflict', `Sample "${c.sampleName}" already has a chip called "${name}".`, { problems: [{ path: 'name', message: 'name is taken' }] });
      throw e;
    }
    return this.getChip(c.id);
  }

  // ---- devices ----

  createDevice(input: NewLabDevice): LabDevice {
    if (input === null || typeof input !== 'object') throw invalid('a new device must be described by an object');
    return this.ctx.tx(() => {
      const chip = this.getChip(input.chipId);
      if (chip.id === SIMULATED_CHIP_ID || chip.id === INSTRUMENT_CHIP_ID) throw new StoreError('conflict', `"${chip.name}" holds virtual devices, made as runs need them.`);
      const { wordLine, bitLine } = this.checkCoordinates(chip, input.wordLine, input.bitLine);
      const name = input.name === undefined || input.name === '' ? defaultName(wordLine, bitLine, chip.devices) : checkName(input.name, 'device name');
      const stack = checkText(input.materialStack ?? '', 'material stack', MAX_STACK_LENGTH);
      const area = checkArea(input.areaM2);
      const fab = checkDate(input.fabricatedOn, 'fabrication date');
      const notes = checkText(input.notes ?? '', 'notes');
      this.refuseTaken(chip, name, wordLine, bitLine, null);
      const id = randomUUID();
      const now = this.ctx.now();
      this.ctx
        .stmt(
          `INSERT INTO lab_devices (id, chip_id, name, kind, word_line, bit_line, material_stack, area_m2, fabricated_on, notes, created_at, updated_at)
           VALUES (?, ?, ?, 'physical', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, chip.id, name, wordLine, bitLine, stack, area, fab, notes, now, now);
      return this.getDevice(id);
    });
  }

  getDevice(id: string): LabDevice {
    const key = checkUuid(id, 'device id');
    const row = this.ctx.stmt(`${DEVICE_SELECT} WHERE d.id = ?`).get(key) as DeviceRow | undefined;
    if (!row) throw new StoreError('not_found', `No device with id ${key}.`);
    return toDevice(row);
  }

  /** The devices of a chip (by word line, bit line, name), or all of them; archived ones only when asked. */
  listDevices(filter: { chipId?: string; includeArchived?: boolean } = {}): LabDevice[] {
    const archived = filter.includeArchived === true ? '' : ' AND d.archived_at IS NULL';
    const order = ' ORDER BY s.kind = \'virtual\', s.name, c.name, d.word_line, d.bit_line, d.name';
    if (filter.chipId === undefined) return (this.ctx.stmt(`${DEVICE_SELECT} WHERE 1${archived}${order}`).all() as DeviceRow[]).map(toDevice);
    const chip = checkUuid(filter.chipId, 'chip id');
    return (this.ctx.stmt(`${DEVICE_SELECT} WHERE d.chip_id = ?${archived}${order}`).all(chip) as DeviceRow[]).map(toDevice);
  }

  updateDevice(id: string, patch: LabDevicePatch): LabDevice {
    return this.ctx.tx(() => {
      const d = this.getDevice(id);
      const chip = this.getChip(d.chipId);
      const virtual = d.kind === 'virtual';
      if (virtual && (patch.wordLine !== undefined || patch.bitLine !== undefined)) throw new StoreError('conflict', `"${d.name}" is a virtual device; it has no place on a crossbar.`);
      const coords =
        patch.wordLine === undefined && patch.bitLine === undefined
          ? { wordLine: d.wordLine, bitLine: d.bitLine }
          : this.checkCoordinates(chip, patch.wordLine === undefined ? d.wordLine : patch.wordLine, patch.bitLine === undefined ? d.bitLine : patch.bitLine);
      const name = patch.name === undefined ? d.name : checkName(patch.name, 'device name');
      const stack = patch.materialStack === undefined ? d.materialStack : checkText(patch.materialStack, 'material stack', MAX_STACK_LENGTH);
      const area = patch.areaM2 === undefined ? d.areaM2 : checkArea(patch.areaM2);
      const fab = patch.fabricatedOn === undefined ? d.fabricatedOn : checkDate(patch.fabricatedOn, 'fabrication date');
      const notes = patch.notes === undefined ? d.notes : checkText(patch.notes, 'notes');
      if (patch.archived !== undefined && typeof patch.archived !== 'boolean') throw invalid(`archived must be true or false, got ${describe(patch.archived)}`);
      const now = this.ctx.now();
      const archivedAt = patch.archived === undefined ? d.archivedAt : patch.archived ? (d.archivedAt ?? now) : null;
      this.refuseTaken(chip, name, coords.wordLine, coords.bitLine, d.id);
      this.ctx
        .stmt('UPDATE lab_devices SET name = ?, word_line = ?, bit_line = ?, material_stack = ?, area_m2 = ?, fabricated_on = ?, notes = ?, archived_at = ?, updated_at = ? WHERE id = ?')
        .run(name, coords.wordLine, coords.bitLine, stack, area, fab, notes, archivedAt, now, d.id);
      return this.getDevice(d.id);
    });
  }

  /**
   * Deletes a device that has no runs. One with runs is refused ('conflict'): its runs would lose
   * their device — archive it instead (updateDevice archived: true), which hides it from pickers.
   */
  deleteDevice(id: string): { id: string } {
    return this.ctx.tx(() => {
      const d = this.getDevice(id);
      if (d.runs > 0) {
        throw new StoreError('conflict', `Device "${d.name}" has ${d.runs} run${d.runs === 1 ? '' : 's'}; a device with runs is not deleted — archive it instead.`, { runs: d.runs });
      }
      this.ctx.stmt('DELETE FROM lab_devices WHERE id = ?').run(d.id);
      // The lab archive learns of it from its tombstone (#16); here, not by a trigger, because this
      // is the one path that deletes a device.
      this.ctx.stmt("INSERT OR REPLACE INTO lab_tombstones (kind, item_id, deleted_at) VALUES ('device', ?, ?)").run(d.id, this.ctx.now());
      return { id: d.id };
    });
  }

  /** A sample, chip or device by its id (the lab archive publishes the three as one kind), or null. */
  hierarchyItem(id: string): { level: 'sample'; item: LabSample } | { level: 'chip'; item: LabChip } | { level: 'device'; item: LabDevice } | null {
    const sample = this.ctx.stmt(`${SAMPLE_SELECT} WHERE s.id = ?`).get(id) as SampleRow | undefined;
    if (sample) return { level: 'sample', item: toSample(sample) };
    const chip = this.ctx.stmt(`${CHIP_SELECT} WHERE c.id = ?`).get(id) as ChipRow | undefined;
    if (chip) return { level: 'chip', item: toChip(chip) };
    const device = this.ctx.stmt(`${DEVICE_SELECT} WHERE d.id = ?`).get(id) as DeviceRow | undefined;
    return device ? { level: 'device', item: toDevice(device) } : null;
  }

  /** The device a run or RL run is on (null for one stored before it had one). */
  deviceOfRun(kind: 'run' | 'rl-run', runId: string): string | null {
    const id = this.ctx.stmt(`SELECT device_id FROM ${kind === 'run' ? 'runs' : 'rl_runs'} WHERE id = ?`).pluck().get(runId) as string | null | undefined;
    return id ?? null;
  }

  /** The virtual device for `key` ('sim:<preset>', 'idn:<*IDN?>', 'instrument:…'), made on first use. */
  virtualDevice(key: string): string {
    const k = checkText(key, 'virtual device key', 1000);
    const found = this.ctx.stmt('SELECT id FROM lab_devices WHERE virtual_key = ?').pluck().get(k) as string | undefined;
    if (found !== undefined) return found;
    return this.ctx.tx(() => {
      const chip = k.startsWith('sim:') ? SIMULATED_CHIP_ID : INSTRUMENT_CHIP_ID;
      const base = virtualName(k);
      let name = base;
      for (let n = 2; this.ctx.stmt('SELECT 1 FROM lab_devices WHERE chip_id = ? AND name = ?').get(chip, name) !== undefined; n++) name = `${base} (${n})`;
      const id = randomUUID();
      const now = this.ctx.now();
      this.ctx
        .stmt(`INSERT INTO lab_devices (id, chip_id, name, kind, virtual_key, created_at, updated_at) VALUES (?, ?, ?, 'virtual', ?, ?, ?)`)
        .run(id, chip, name, k, now, now);
      return id;
    });
  }

  /** A device id a new run may be attached to: it exists and is not archived. */
  checkRunDevice(id: string): string {
    const d = this.getDevice(id);
    if (d.archivedAt !== null) throw new StoreError('conflict', `Device "${d.name}" is archived; restore it before running on it.`);
    return d.id;
  }

  /** Gives every run and RL run without a device (a bundle's, say) its virtual device. Returns how many. */
  attachUnassigned(): number {
    const runs = this.ctx.stmt('SELECT id, device_json, instrument_idn FROM runs WHERE device_id IS NULL').all() as { id: string; device_json: string | null; instrument_idn: string | null }[];
    const rl = this.ctx.stmt('SELECT id, config_json, hardware_json FROM rl_runs WHERE device_id IS NULL').all() as { id: string; config_json: string; hardware_json: string | null }[];
    if (runs.length === 0 && rl.length === 0) return 0;
    const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));
    this.ctx.tx(() => {
      for (const r of runs) this.ctx.stmt('UPDATE runs SET device_id = ? WHERE id = ?').run(this.virtualDevice(deviceKeyForRun(parse(r.device_json), r.instrument_idn)), r.id);
      for (const r of rl) this.ctx.stmt('UPDATE rl_runs SET device_id = ? WHERE id = ?').run(this.virtualDevice(deviceKeyForRlRun(parse(r.config_json), parse(r.hardware_json))), r.id);
    });
    return runs.length + rl.length;
  }

  private checkCoordinates(chip: LabChip, wl: unknown, bl: unknown): { wordLine: number | null; bitLine: number | null } {
    const hasW = wl !== undefined && wl !== null;
    const hasB = bl !== undefined && bl !== null;
    if (chip.rows === null || chip.cols === null) {
      if (hasW || hasB) throw invalid(`chip "${chip.name}" is not a crossbar; its devices have no word or bit line`, { problems: [{ path: 'wordLine', message: 'not a crossbar' }] });
      return { wordLine: null, bitLine: null };
    }
    if (!hasW || !hasB) throw invalid(`a device on crossbar "${chip.name}" needs its word line and bit line`, { problems: [{ path: hasW ? 'bitLine' : 'wordLine', message: 'required on a crossbar' }] });
    if (typeof wl !== 'number' || !Number.isInteger(wl) || wl < 0 || wl >= chip.rows) {
      throw invalid(`word line ${describe(wl)} is outside crossbar "${chip.name}" (word lines 0 to ${chip.rows - 1})`, { problems: [{ path: 'wordLine', message: `must be 0 to ${chip.rows - 1}` }] });
    }
    if (typeof bl !== 'number' || !Number.isInteger(bl) || bl < 0 || bl >= chip.cols) {
      throw invalid(`bit line ${describe(bl)} is outside crossbar "${chip.name}" (bit lines 0 to ${chip.cols - 1})`, { problems: [{ path: 'bitLine', message: `must be 0 to ${chip.cols - 1}` }] });
    }
    return { wordLine: wl, bitLine: bl };
  }

  private refuseTaken(chip: LabChip, name: string, wl: number | null, bl: number | null, self: string | null): void {
    if (wl !== null) {
      const at = this.ctx.stmt('SELECT id, name FROM lab_devices WHERE chip_id = ? AND word_line = ? AND bit_line = ?').get(chip.id, wl, bl) as { id: string; name: string } | undefined;
      if (at !== undefined && at.id !== self) {
        throw new StoreError('conflict', `Word line ${wl}, bit line ${bl} of chip "${chip.name}" already holds device "${at.name}".`, { problems: [{ path: 'wordLine', message: 'taken' }] });
      }
    }
    const same = this.ctx.stmt('SELECT id FROM lab_devices WHERE chip_id = ? AND name = ?').pluck().get(chip.id, name) as string | undefined;
    if (same !== undefined && same !== self) throw new StoreError('conflict', `Chip "${chip.name}" already has a device called "${name}".`, { problems: [{ path: 'name', message: 'name is taken' }] });
  }
}

function defaultName(wl: number | null, bl: number | null, count: number): string {
  return wl === null ? `D${count + 1}` : `WL${wl}/BL${bl}`;
}
