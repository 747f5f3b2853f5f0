/**
 * The device hierarchy in a real SQLite file (#14): samples → chips → devices with their
 * coordinates; every run attached to a device (its virtual one by default); migration 10 giving
 * existing runs and RL runs a device; and the bad input: duplicate coordinates, coordinates outside
 * the crossbar, deleting a device with runs (refused — archive it instead), each refused with a
 * sentence and nothing written.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, INSTRUMENT_CHIP_ID, LATEST_SCHEMA_VERSION, SIMULATED_CHIP_ID, Store, openStore, isStoreError } from '../../../electron/services/store';
import { migrations } from '../../../electron/services/store/migrations/index';
import { SampleBuilder, SampleKind } from '../../../shared/samples/columns';
import { freshStore, tempDir } from './helpers';

function refused(fn: () => unknown, reason: 'invalid' | 'conflict' | 'not_found', message: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isStoreError(err, reason), String(err)).toBe(true);
  expect((err as Error).message).toMatch(message);
}

function crossbar(store: Store, rows = 4, cols = 4) {
  const sample = store.lab.createSample({ name: 'W1', kind: 'wafer', materialStack: 'Pt/HfO2/TiN', fabricatedOn: '2026-11-02' });
  const chip = store.lab.createChip({ sampleId: sample.id, name: 'C1', rows, cols });
  return { sample, chip };
}

describe('samples, chips and devices', () => {
  it('creates, lists and updates the hierarchy with its metadata', () => {
    const store = freshStore();
    const { sample, chip } = crossbar(store);
    const d = store.lab.createDevice({ chipId: chip.id, wordLine: 1, bitLine: 2, areaM2: 1e-12, notes: 'edge' });
    expect(d).toMatchObject({ name: 'WL1/BL2', wordLine: 1, bitLine: 2, areaM2: 1e-12, chipName: 'C1', sampleName: 'W1', kind: 'physical', runs: 0 });
    expect(store.lab.getSample(sample.id)).toMatchObject({ chips: 1, devices: 1, materialStack: 'Pt/HfO2/TiN', fabricatedOn: '2026-11-02' });
    expect(store.lab.getChip(chip.id)).toMatchObject({ rows: 4, cols: 4, devices: 1 });
    const moved = store.lab.updateDevice(d.id, { wordLine: 3, bitLine: 3, name: 'corner' });
    expect(moved).toMatchObject({ wordLine: 3, bitLine: 3, name: 'corner' });
    expect(store.lab.listSamples().map((s) => s.name)).toEqual(['W1', 'Virtual devices']);
    const piece = store.lab.createSample({ name: 'piece A', kind: 'piece' });
    const single = store.lab.createChip({ sampleId: piece.id, name: 'singles' });
    expect(store.lab.createDevice({ chipId: single.id }).name).toBe('D1');
    expect(store.lab.updateSample(piece.id, { notes: 'cleaved' }).notes).toBe('cleaved');
  });

  it('refuses duplicate coordinates, coordinates outside the crossbar and bad metadata, writing nothing', () => {
    const store = freshStore();
    const { chip, sample } = crossbar(store, 2, 3);
    store.lab.createDevice({ chipId: chip.id, wordLine: 0, bitLine: 0 });
    refused(() => store.lab.createDevice({ chipId: chip.id, wordLine: 0, bitLine: 0, name: 'other' }), 'conflict', /Word line 0, bit line 0 of chip "C1" already holds device "WL0\/BL0"/);
    refused(() => store.lab.createDevice({ chipId: chip.id, wordLine: 2, bitLine: 0 }), 'invalid', /word line 2 is outside crossbar "C1" \(word lines 0 to 1\)/);
    refused(() => store.lab.createDevice({ chipId: chip.id, wordLine: 0, bitLine: 3 }), 'invalid', /bit line 3 is outside crossbar "C1" \(bit lines 0 to 2\)/);
    refused(() => store.lab.createDevice({ chipId: chip.id, wordLine: -1, bitLine: 0 }), 'invalid', /outside crossbar/);
    refused(() => store.lab.createDevice({ chipId: chip.id, wordLine: 1 }), 'invalid', /needs its word line and bit line/);
    refused(() => store.lab.createDevice({ chipId: chip.id, wordLine: 1, bitLine: 1, fabricatedOn: '2026-02-30' }), 'invalid', /not a calendar date/);
    refused(() => store.lab.createDevice({ chipId: chip.id, wordLine: 1, bitLine: 1, areaM2: -1 }), 'invalid', /positive number of m²/);
    refused(() => store.lab.createChip({ sampleId: sample.id, name: 'C2', rows: 4 }), 'invalid', /both rows .* and cols/);
    refused(() => store.lab.createChip({ sampleId: sample.id, name: 'C1', rows: 1, cols: 1 }), 'conflict', /already has a chip called "C1"/);
    refused(() => store.lab.createSample({ name: 'w1', kind: 'wafer' }), 'conflict', /already a sample called "w1"/);
    // moving a device onto a taken crossing is refused too
    const d = store.lab.createDevice({ chipId: chip.id, wordLine: 1, bitLine: 1 });
    refused(() => store.lab.updateDevice(d.id, { wordLine: 0, bitLine: 0 }), 'conflict', /already holds device/);
    expect(store.lab.listDevices({ chipId: chip.id }).map((x) => [x.wordLine, x.bitLine])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    // a single-device chip has no coordinates
    const singles = store.lab.createChip({ sampleId: sample.id, name: 'singles' });
    refused(() => store.lab.createDevice({ chipId: singles.id, wordLine: 0, bitLine: 0 }), 'invalid', /not a crossbar/);
  });

  it('accepts exactly the coordinates inside the crossbar (property)', () => {
    const store = freshStore();
    const sample = store.lab.createSample({ name: 'P', kind: 'piece' });
    let k = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: -2, max: 7 }), fc.integer({ min: -2, max: 7 }), (rows, cols, wl, bl) => {
        const chip = store.lab.createChip({ sampleId: sample.id, name: `chip ${k++}`, rows, cols });
        const inside = wl >= 0 && wl < rows && bl >= 0 && bl < cols;
        let ok = true;
        try {
          store.lab.createDevice({ chipId: chip.id, wordLine: wl, bitLine: bl });
        } catch (e) {
          if (!isStoreError(e, 'invalid')) throw e;
          ok = false;
        }
        expect(ok).toBe(inside);
        expect(store.lab.getChip(chip.id).devices).toBe(inside ? 1 : 0);
      }),
      { numRuns: 60 },
    );
  });

  it('attaches runs to the chosen device, or to a virtual device per preset or instrument identity', () => {
    const store = freshStore();
    const { chip } = crossbar(store);
    const d = store.lab.createDevice({ chipId: chip.id, wordLine: 0, bitLine: 1 });
    const chosen = store.runs.create({ experimentName: 'e', name: 'on chip', device: { kind: 'instrument', driver: 'keithley2400', port: '/dev/ttyUSB0' }, deviceId: d.id });
    const sim1 = store.runs.create({ experimentName: 'e', name: 's1', device: { kind: 'simulated', preset: 'filamentary' } });
    const sim2 = store.runs.create({ experimentName: 'e', name: 's2', device: { kind: 'simulated', preset: 'filamentary' } });
    const inst = store.runs.create({ experimentName: 'e', name: 'i', device: { kind: 'instrument', driver: 'keithley2400', port: '/dev/ttyUSB0' } });
    const devOf = (id: string) => store.deviceArchive.timeline(d.id).some((t) => t.id === id);
    expect(devOf(chosen.id)).toBe(true);
    const virtuals = store.lab.listDevices({ chipId: SIMULATED_CHIP_ID });
    expect(virtuals.map((v) => [v.name, v.virtualKey, v.runs])).toEqual([['Simulated filamentary', 'sim:filamentary', 2]]);
    expect(store.deviceArchive.timeline(virtuals[0]!.id).map((t) => t.id)).toEqual([sim1.id, sim2.id]);
    // the instrument's run moves to the device of its identity once it answers *IDN?
    expect(store.lab.listDevices({ chipId: INSTRUMENT_CHIP_ID }).map((v) => v.virtualKey)).toEqual(['instrument:keithley2400 on /dev/ttyUSB0']);
    store.runs.setDevice(inst.id, { kind: 'instrument', driver: 'keithley2400', port: '/dev/ttyUSB0' }, 'KEITHLEY INSTRUMENTS INC.,MODEL 2400,4096,C30');
    const byIdn = store.lab.listDevices({ chipId: INSTRUMENT_CHIP_ID }).find((v) => v.virtualKey?.startsWith('idn:'));
    expect(byIdn).toMatchObject({ name: 'KEITHLEY INSTRUMENTS INC.,MODEL 2400,4096,C30', runs: 1 });
    // the run on the chip's device stays there
    store.runs.setDevice(chosen.id, { kind: 'instrument', driver: 'keithley2400', port: '/dev/ttyUSB0' }, 'KEITHLEY');
    expect(devOf(chosen.id)).toBe(true);
  });

  it('refuses to delete a device with runs (archive it instead), deletes one without', () => {
    const store = freshStore();
    const { chip } = crossbar(store);
    const used = store.lab.createDevice({ chipId: chip.id, wordLine: 0, bitLine: 0 });
    const spare = store.lab.createDevice({ chipId: chip.id, wordLine: 0, bitLine: 1 });
    store.runs.create({ experimentName: 'e', name: 'r', deviceId: used.id });
    refused(() => store.lab.deleteDevice(used.id), 'conflict', /has 1 run; a device with runs is not deleted — archive it instead/);
    expect(store.lab.getDevice(used.id).runs).toBe(1);
    const archived = store.lab.updateDevice(used.id, { archived: true });
    expect(archived.archivedAt).not.toBeNull();
    expect(store.lab.listDevices({ chipId: chip.id }).map((x) => x.id)).toEqual([spare.id]);
    refused(() => store.runs.create({ experimentName: 'e', name: 'r2', deviceId: used.id }), 'conflict', /is archived/);
    expect(store.lab.deleteDevice(spare.id)).toEqual({ id: spare.id });
    refused(() => store.lab.getDevice(spare.id), 'not_found', /No device/);
  });
});

describe('timeline, chip map and variability values', () => {
  it('counts pulses cumulatively, tracks forming and the last HRS/LRS, maps the chip', () => {
    const store = freshStore();
    const { chip } = crossbar(store, 2, 2);
    const a = store.lab.createDevice({ chipId: chip.id, wordLine: 0, bitLine: 0 });
    const b = store.lab.createDevice({ chipId: chip.id, wordLine: 1, bitLine: 1 });
    const run = (deviceId: string, name: string, gs: number[], tags: string[] = []) => {
      const r = store.runs.create({ experimentName: 'e', name, deviceId, status: 'running', tags });
      const w = store.openWriter(r.id);
      const s = new SampleBuilder();
      gs.forEach((g, k) => {
        if (k > 0) s.push(k - 0.5, k % 2 === 1 ? -1.5 : 1.5, 0, g, SampleKind.pulse, -1);
        s.push(k, 0.1, 0.1 * g, g, SampleKind.read, -1);
      });
      w.append(s.take());
      w.close();
      store.runs.setStatus(r.id, 'completed');
      return r.id;
    };
    // pristine read, then a forming run (tagged), then switching: RESET (−1.5 V) to 100 kΩ, SET
    // (+1.5 V) to 1 kΩ, RESET, SET: one SET/RESET cycle (shared/analysis), the last SET unpaired
    const r1 = run(a.id, 'read only', [1e-6]);
    const r2 = run(a.id, 'forming', [1e-6, 2e-6], ['forming']);
    const r3 = run(a.id, 'cycling', [1e-3, 1e-5, 1e-3, 1e-5, 1e-3]);
    run(b.id, 'cycling', [1e-3, 1e-5, 1e-3, 1e-5]);
    const t = store.deviceArchive.timeline(a.id);
    expect(t.map((e) => [e.id, e.pulses, e.cumulativePulses, e.forming])).toEqual([
      [r1, 0, 0, 'pristine'],
      [r2, 1, 1, 'formed'],
      [r3, 4, 5, 'formed'],
    ]);
    expect(t[2]!.hrs).toBeCloseTo(1e5);
    expect(t[2]!.lrs).toBeCloseTo(1e3);
    // no protocol: widths unknown, so no stress is counted (V·s)
    expect(t[2]!.cumulativeStressVs).toBe(0);
    const map = store.deviceArchive.chipMap(chip.id);
    expect(map.map((c) => [c.name, c.runs, c.pulses, c.yield])).toEqual([
      ['WL0/BL0', 3, 5, 1],
      ['WL1/BL1', 1, 3, 1],
    ]);
    expect(map[0]!.onOff).toBeGreaterThan(1);
    const d2d = store.deviceArchive.variability({ chipId: chip.id }, 'd2d');
    expect(d2d.devices).toBe(2);
    expect(d2d.hrs).toHaveLength(2);
    const c2c = store.deviceArchive.variability({ deviceIds: [a.id] }, 'c2c');
    expect(c2c.hrs.length).toBe(1);
    expect(map[0]!.cyclesSurvived).toBe(1);
    expect(c2c.vSet).toEqual([]); // a single SET pulse has no V_set (shared/analysis needs a sweep's steps)
  });
});

describe('migration 10', () => {
  it('gives every existing run and RL run a device: one per simulated preset, one per instrument identity', () => {
    const dir = tempDir();
    const old = Store.open(dir, { appVersion: '0.0.9' }, migrations.filter((m) => m.version <= 8));
    old.close();
    const raw = new Database(path.join(dir, DATABASE_FILE_NAME));
    const at = '2025-01-01T00:00:00.000Z';
    raw.prepare('INSERT INTO experiments (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('00000000-0000-4000-8000-0000000000e0', 'old', at, at);
    const insert = raw.prepare(
      `INSERT INTO runs (id, experiment_id, name, status, device_json, instrument_idn, app_version, host, created_at, updated_at)
       VALUES (?, '00000000-0000-4000-8000-0000000000e0', ?, 'completed', ?, ?, '0.0.9', 'lab', ?, ?)`,
    );
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    insert.run(id(1), 'a', JSON.stringify({ kind: 'simulated', preset: 'filamentary' }), null, at, at);
    insert.run(id(2), 'b', JSON.stringify({ kind: 'simulated', preset: 'filamentary' }), null, at, at);
    insert.run(id(3), 'c', JSON.stringify({ kind: 'simulated', preset: 'ideal' }), null, at, at);
    insert.run(id(4), 'd', JSON.stringify({ kind: 'instrument', driver: 'keithley2600', port: '/dev/ttyS0' }), 'KEITHLEY,2636B,1,2', at, at);
    insert.run(id(5), 'e', JSON.stringify({ kind: 'instrument', driver: 'keithley2600', port: '/dev/ttyS0' }), null, at, at);
    insert.run(id(6), 'f', null, null, at, at);
    raw
      .prepare(
        `INSERT INTO rl_runs (id, name, definition_name, title, status, config_json, seeds_json, jobs_total, app_version, host, created_at, updated_at)
         VALUES (?, 'rl', 'paper', 'Paper', 'completed', ?, '[1]', 1, '0.0.9', 'lab', ?, ?)`,
      )
      .run(id(7), JSON.stringify({ strategies: [{ device: 'intrinsic-gradient' }] }), at, at);
    raw.close();

    const store = openStore(dir, { appVersion: '0.1.0-test' });
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const devices = store.lab.listDevices();
    expect(devices.map((d) => [d.name, d.runs]).sort()).toEqual(
      [
        ['KEITHLEY,2636B,1,2', 1],
        ['keithley2600 on /dev/ttyS0', 1],
        ['Simulated filamentary', 2],
        ['Simulated ideal', 1],
        ['Simulated intrinsic-gradient', 1],
        ['Simulated unknown', 1],
      ].sort(),
    );
    const raw2 = new Database(path.join(dir, DATABASE_FILE_NAME), { readonly: true });
    expect(raw2.prepare('SELECT count(*) FROM runs WHERE device_id IS NULL').pluck().get()).toBe(0);
    expect(raw2.prepare('SELECT count(*) FROM rl_runs WHERE device_id IS NULL').pluck().get()).toBe(0);
    raw2.close();
    store.close();
  });
});
