/**
 * `workbench export … --format parquet`: the file the CLI writes is read back by an independent
 * Parquet reader (DuckDB in this test's process, not the exporting one) with exactly the values the
 * store holds, the column units in the key-value metadata, and the run and device columns.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/services/store';
import { compileProtocol, simulateProtocol } from '../../../shared/protocol';
import { createDevice, intrinsicGradientPreset } from '../../../shared/device';
import { SampleBuilder, SampleKind } from '../../../shared/samples/columns';
import { runCli, tempDir } from '../cli-science/helpers';
import { ParquetExporter, ROW_GROUP_ROWS } from '../../../electron/services/runs/export-parquet';

const protocol = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'three spikes twice',
  blocks: [{ kind: 'repeat', times: 2, body: [{ kind: 'train', count: 3, amplitude: '2 V', width: '10 ms', period: '100 ms', read: true }] }],
};

function archive() {
  const dataDir = tempDir();
  const store = openStore(dataDir, { appVersion: 'test' });
  try {
    const sample = store.lab.createSample({ name: 'wafer A', kind: 'wafer' });
    const chip = store.lab.createChip({ sampleId: sample.id, name: 'chip 1', rows: 2, cols: 2 });
    const device = store.lab.createDevice({ chipId: chip.id, wordLine: 1, bitLine: 1 });
    const compiled = compileProtocol(protocol);
    if (!compiled.ok) throw new Error('protocol');
    const simulated = simulateProtocol(compiled.program, createDevice(intrinsicGradientPreset, { seed: 3 }));
    const a = store.runs.create({ experimentName: 'p', name: 'spikes', status: 'running', protocol, deviceId: device.id });
    store.openWriter(a.id).append(simulated);
    store.runs.setStatus(a.id, 'completed');
    // A second run without a protocol, with a current not measured (NaN) and awkward doubles.
    const b = new SampleBuilder();
    b.push(0, 0.1, Number.NaN, 1e-4, SampleKind.read, -1);
    b.push(0.1 + 0.2, -1.5, 2e-5, 1.0000000000000002e-4, SampleKind.pulse, -1);
    b.push(1e-9, 0.1, 1e-5, 1 / 3, SampleKind.read, -1);
    const second = store.runs.create({ experimentName: 'p', name: 'odd values', status: 'running', deviceId: device.id });
    store.openWriter(second.id).append(b.take());
    store.runs.setStatus(second.id, 'completed');
    const expected = [a.id, second.id].map((id) => ({ id, s: store.readSamples(id) }));
    return { dataDir, deviceId: device.id, runA: a.id, runB: second.id, expected };
  } finally {
    store.close();
  }
}

async function readParquet(file: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const rows = (await c.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    const kv = (await c.runAndReadAll(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${file}')`)).getRowObjectsJS();
    const schema = (await c.runAndReadAll(`SELECT name, type FROM parquet_schema('${file}') WHERE num_children IS NULL`)).getRowObjectsJS();
    return { rows, meta: Object.fromEntries(kv.map((r) => [r.key as string, r.value as string])), schema };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const orNull = (x: number) => (Number.isFinite(x) ? x : null);

describe('workbench export --format parquet', () => {
  it('one run: an independent reader gets the store’s values, the units and the run and device columns', async () => {
    const { dataDir, runA, deviceId, expected } = archive();
    const file = path.join(tempDir(), 'run.parquet');
    const r = runCli(['export', runA.slice(0, 8), '--format', 'parquet', '--out', file, '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(0);
    const { rows, meta, schema } = await readParquet(file);
    const s = expected[0]!.s;
    expect(rows.length).toBe(s.length);
    let pulses = 0;
    rows.forEach((row, k) => {
      if (s.kind[k] === SampleKind.pulse) pulses++;
      expect(row).toMatchObject({ run_id: runA, device_id: deviceId, t_s: s.t[k], v_V: s.v[k], i_A: orNull(s.i[k]!), g_S: orNull(s.g[k]!), kind: s.kind[k] === 1 ? 'pulse' : 'read', block: s.block[k], compliance: s.compliance[k] });
      expect(row.pulse).toBe(BigInt(pulses));
      expect(row.width_s).toBe(s.kind[k] === 1 ? 0.01 : null);
    });
    // The protocol replays: two cycles of three spikes.
    expect(new Set(rows.map((x) => x.cycle))).toEqual(new Set([1, 2]));
    expect(JSON.parse(meta.units!)).toEqual({ run_id: '', device_id: '', t_s: 's', v_V: 'V', i_A: 'A', g_S: 'S', kind: '', width_s: 's', pulse: '', cycle: '', block: '', compliance: '' });
    expect(meta.format).toBe('memristor-workbench/samples-parquet');
    expect((JSON.parse(meta.runs!) as { id: string; deviceId: string }[]).map((x) => [x.id, x.deviceId])).toEqual([[runA, deviceId]]);
    expect(schema.find((x) => x.name === 't_s')?.type).toBe('DOUBLE');
    // Every column the metadata describes is in the file, in its order.
    expect(schema.map((x) => x.name)).toEqual(Object.keys(JSON.parse(meta.units!)));
  });

  it('a device: every run, in order, exact doubles and NULL where the store holds NaN; an existing file is refused and nothing partial stays', async () => {
    const { dataDir, deviceId, runB, expected } = archive();
    const dir = tempDir();
    const file = path.join(dir, 'device.parquet');
    expect(runCli(['export', '--device', deviceId, '--format', 'parquet', '--out', file, '--data-dir', dataDir]).status).toBe(0);
    const { rows } = await readParquet(file);
    const all = expected.flatMap(({ id, s }) => Array.from({ length: s.length }, (_, k) => ({ id, t: s.t[k], i: orNull(s.i[k]!), g: s.g[k] })));
    expect(rows.map((x) => ({ id: x.run_id, t: x.t_s, i: x.i_A, g: x.g_S }))).toEqual(all);
    const odd = rows.filter((x) => x.run_id === runB);
    expect(odd.map((x) => x.t_s)).toEqual([0, 0.1 + 0.2, 1e-9]);
    expect(odd.map((x) => x.cycle)).toEqual([-1, -1, -1]);
    const again = runCli(['export', '--device', deviceId, '--format', 'parquet', '--out', file, '--data-dir', dataDir]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('already exists');
    expect(readdirSync(dir)).toEqual(['device.parquet']);
    // Usage mistakes are named.
    expect(runCli(['export', '--format', 'parquet', '--out', path.join(dir, 'x.parquet'), '--data-dir', dataDir]).stderr).toContain('RUN or --device');
    expect(runCli(['export', runB, '--format', 'parquet', '--data-dir', dataDir]).stderr).toContain('--out');
    expect(existsSync(path.join(dir, 'x.parquet'))).toBe(false);
  });

  it('across row groups every value reads back; an --out it cannot write is named with the reason, and a store that fails part-way leaves no file, not even a partial one', async () => {
    const { dataDir, deviceId, runA, expected } = archive();
    const dir = tempDir();
    const missing = runCli(['export', runA, '--format', 'parquet', '--out', path.join(dir, 'no such folder', 'run.parquet'), '--data-dir', dataDir]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(`the folder ${path.join(dir, 'no such folder')} does not exist; nothing was written`);
    writeFileSync(path.join(dir, 'a file'), 'not a folder');
    const underFile = runCli(['export', runA, '--format', 'parquet', '--out', path.join(dir, 'a file', 'run.parquet'), '--data-dir', dataDir]);
    expect(underFile.status).not.toBe(0);
    expect(underFile.stderr).toContain('is not a folder; nothing was written');
    expect(readdirSync(dir)).toEqual(['a file']);
    // Two more runs on the device, the first longer than a row group (so one is written to the
    // file before the export reaches the last run), the last one then losing its samples.
    const store = openStore(dataDir, { appVersion: 'test' });
    let lost: string;
    try {
      const long = new SampleBuilder(ROW_GROUP_ROWS + 10);
      for (let k = 0; k < ROW_GROUP_ROWS + 10; k++) long.push(k * 1e-3, k % 3 === 0 ? 1.5 : 0.1, 1e-5 * (k % 7), 1e-4, k % 3 === 0 ? SampleKind.pulse : SampleKind.read, k >> 12);
      for (const [name, samples] of [['long', long.take()], ['lost', expected[1]!.s]] as const) {
        const run = store.runs.create({ experimentName: 'p', name, status: 'running', deviceId });
        store.openWriter(run.id).append(samples);
        store.runs.setStatus(run.id, 'completed');
        lost = run.id;
      }
    } finally {
      store.close();
    }
    // Whole, the device's export spans two row groups (the long run across them) and reads back exactly.
    const whole = path.join(tempDir(), 'whole.parquet');
    expect(runCli(['export', '--device', deviceId, '--format', 'parquet', '--out', whole, '--data-dir', dataDir]).status).toBe(0);
    const { rows } = await readParquet(whole);
    const longRows = rows.filter((r) => r.run_id === rows[expected[0]!.s.length + expected[1]!.s.length]!.run_id);
    expect(rows.length).toBe(expected[0]!.s.length + 2 * expected[1]!.s.length + ROW_GROUP_ROWS + 10);
    expect(longRows.length).toBe(ROW_GROUP_ROWS + 10);
    let pulses = 0;
    longRows.forEach((r, k) => {
      if (k % 3 === 0) pulses++;
      const want = { t_s: k * 1e-3, v_V: k % 3 === 0 ? 1.5 : 0.1, i_A: 1e-5 * (k % 7), kind: k % 3 === 0 ? 'pulse' : 'read', pulse: BigInt(pulses), block: k >> 12, cycle: -1, width_s: null };
      if (!Object.entries(want).every(([key, v]) => Object.is(r[key], v))) expect({ k, ...r }).toMatchObject({ k, ...want });
    });
    const db = new Database(path.join(dataDir, 'workbench.sqlite'));
    try {
      db.prepare('DELETE FROM sample_chunks WHERE run_id = ?').run(lost!);
    } finally {
      db.close();
    }
    const broken = runCli(['export', '--device', deviceId, '--format', 'parquet', '--out', path.join(dir, 'device.parquet'), '--data-dir', dataDir]);
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain(`Run ${lost!}: samples 0…2 are missing from the store`);
    expect(readdirSync(dir)).toEqual(['a file']);
  });

  it('exports one after another in one process (the app) reuse the row group and carry nothing over: no stale pulse number, presence flag or kind', async () => {
    const dataDir = tempDir();
    const store = openStore(dataDir, { appVersion: 'test' });
    try {
      // Two runs longer than a row group that differ everywhere the row group remembers something:
      // the first all pulses with currents, the second all reads without (NaN: NULL), fewer rows.
      const make = (n: number, pulse: boolean) => {
        const b = new SampleBuilder(n);
        for (let k = 0; k < n; k++) b.push(k * 1e-3, pulse ? 2 : 0.1, pulse ? 1e-5 : Number.NaN, 1e-4, pulse ? SampleKind.pulse : SampleKind.read, pulse ? 0 : 1);
        return b.take();
      };
      const ids = [make(ROW_GROUP_ROWS + 100, true), make(ROW_GROUP_ROWS + 5, false)].map((samples, k) => {
        const run = store.runs.create({ experimentName: 'p', name: `run ${k}`, status: 'running', device: { kind: 'simulated' } });
        store.openWriter(run.id).append(samples);
        store.runs.setStatus(run.id, 'completed');
        return run.id;
      });
      const dir = tempDir();
      const exporter = new ParquetExporter(store);
      for (const [k, id] of ids.entries()) await exporter.write([id], path.join(dir, `run-${k}.parquet`));
      const second = (await readParquet(path.join(dir, 'run-1.parquet'))).rows;
      expect(second.length).toBe(ROW_GROUP_ROWS + 5);
      const wrong = second.findIndex((r, k) => !(r.kind === 'read' && r.pulse === 0n && r.i_A === null && r.v_V === 0.1 && r.block === 1 && Object.is(r.t_s, k * 1e-3)));
      expect(wrong === -1 ? null : { row: wrong, ...second[wrong] }).toBeNull();
      const first = (await readParquet(path.join(dir, 'run-0.parquet'))).rows;
      expect(first.at(-1)).toMatchObject({ kind: 'pulse', pulse: BigInt(ROW_GROUP_ROWS + 100), i_A: 1e-5 });
    } finally {
      store.close();
    }
  });
});
