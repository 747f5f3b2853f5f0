/**
 * The workbench's CSV export as analysis tools meet it: `workbench export` writes the tidy table and
 * its sidecar, `workbench fit --csv` fits it and recovers the parameters the run was simulated
 * with, pandas.read_csv reads it with default arguments (where python3 has pandas), and bad files
 * are refused naming line and column.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDevice, intrinsicGradientPreset } from '../../../shared/device';
import { parse } from 'csv-parse/sync';
import { compileProtocol, simulateProtocol } from '../../../shared/protocol';
import { openStore } from '../../../electron/services/store';
import { CSV_HEADER } from '../../../electron/services/runs';
import { cliJson, runCli, tempDir, truth } from './helpers';

/** Two rounds of 50 spikes (+2 V, 10 ms at 1 Hz, a read after each) and 300 s of recovery read every 10 s. */
const twoRounds = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'Two rounds of depression and relaxation',
  blocks: [
    { kind: 'read', label: 'baseline' },
    {
      kind: 'repeat',
      times: 2,
      body: [
        { kind: 'train', count: 50, amplitude: '2 V', width: '10 ms', period: '1 s', read: true },
        { kind: 'wait', duration: '300 s', readEvery: '10 s' },
      ],
    },
  ],
};

/** Simulates the protocol on a device with known parameters (1 % read noise) and stores it as a run. */
function storedRun(protocol: object | null = twoRounds, rounds = 2): { dataDir: string; runId: string; samples: number } {
  const dataDir = tempDir();
  const compiled = compileProtocol({ ...twoRounds, blocks: [twoRounds.blocks[0], { ...twoRounds.blocks[1], times: rounds }] });
  if (!compiled.ok) throw new Error('the protocol does not compile');
  const device = createDevice({ ...intrinsicGradientPreset, params: truth, variation: { c2c: 0, d2d: 0, read: 0.01 } }, { seed: 7 });
  const samples = simulateProtocol(compiled.program, device);
  const store = openStore(dataDir, { appVersion: 'test' });
  try {
    const run = store.runs.create({ experimentName: 'fits', name: 'two rounds on cell 3', status: 'running', protocol, device: { kind: 'simulated', model: 'intrinsic-gradient' } });
    const writer = store.openWriter(run.id);
    writer.append(samples);
    store.runs.setStatus(run.id, 'completed');
    return { dataDir, runId: run.id, samples: samples.length };
  } finally {
    store.close();
  }
}

function exportCsv(dataDir: string, runId: string, ...extra: string[]): { file: string; text: string } {
  const file = path.join(tempDir(), 'run.csv');
  const r = runCli(['export', runId.slice(0, 8), '--format', 'csv', '--out', file, '--data-dir', dataDir, ...extra]);
  expect(r.status, r.stderr).toBe(0);
  return { file, text: readFileSync(file, 'utf8') };
}

const within = (value: number, target: number, fraction: number) => Math.abs(value / target - 1) < fraction;

/** A python3 that has pandas, or null (then the pandas check is skipped and the strict RFC 4180 parse stands alone). */
function pythonWithPandas(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return null;
}
const python = pythonWithPandas();

describe('workbench export --format csv', () => {
  it('writes one header line and one row per sample, and the provenance to FILE.json beside it', () => {
    const { dataDir, runId, samples } = storedRun();
    const { file, text } = exportCsv(dataDir, runId);
    expect(text.startsWith(`${CSV_HEADER}\n`)).toBe(true);
    const records = parse(text) as string[][]; // strict: no comment lines, every record as wide as the header
    expect(records).toHaveLength(samples + 1);
    expect(records.every((r) => r.length === 10)).toBe(true);
    const rows = records.slice(1);
    // No binary float noise in a time: at most 9 decimals.
    expect(rows.every((r) => /^\d+(\.\d{1,9})?$/.test(r[0]!))).toBe(true);
    expect(rows.map((r) => r[0]).slice(0, 4)).toEqual(['0', '0.001', '0.011', '1.001']);
    // 100 pulses in all, numbered; the two rounds are cycles 1 and 2; the baseline read is outside (0).
    expect(rows.filter((r) => r[4] === 'pulse').map((r) => Number(r[6]))).toEqual(Array.from({ length: 100 }, (_, k) => k + 1));
    expect(rows[0]![7]).toBe('0');
    expect(new Set(rows.slice(1).map((r) => r[7]))).toEqual(new Set(['1', '2']));
    expect(rows.filter((r) => r[7] === '1')).toHaveLength(50 * 2 + 30);

    const sidecar = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { format: string; table: { rows: number; sha256: string }; run: { id: string; name: string }; columns: { name: string; unit: string }[] };
    expect(sidecar.format).toBe('memristor-workbench/run-csv-metadata');
    expect(sidecar.run).toMatchObject({ id: runId, name: 'two rounds on cell 3' });
    expect(sidecar.table.rows).toBe(samples);
    expect(sidecar.table.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(sidecar.columns.find((c) => c.name === 'g_S')?.unit).toBe('S');
  });

  it.skipIf(python === null)('is read by pandas.read_csv with default arguments', () => {
    const { dataDir, runId, samples } = storedRun();
    const { file } = exportCsv(dataDir, runId);
    const script = [
      'import json, sys, pandas as pd',
      'df = pd.read_csv(sys.argv[1])',
      'print(json.dumps({"columns": list(df.columns), "rows": len(df), "dtypes": {c: str(t) for c, t in df.dtypes.items()},',
      '  "t3": float(df.t_s[3]), "pulses": int(df.pulse.max()), "cycles": sorted(int(c) for c in df.cycle.unique()), "reads": int((df.kind == "read").sum())}))',
    ].join('\n');
    const r = spawnSync(python!, ['-c', script, file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { columns: string[]; rows: number; dtypes: Record<string, string>; t3: number; pulses: number; cycles: number[]; reads: number };
    expect(out.columns).toEqual(CSV_HEADER.split(','));
    expect(out.rows).toBe(samples);
    expect(out.dtypes).toMatchObject({ t_s: 'float64', g_S: 'float64', kind: 'object', pulse: 'int64', cycle: 'int64', block: 'int64' });
    expect(out.t3).toBe(1.001);
    expect(out).toMatchObject({ pulses: 100, cycles: [0, 1, 2], reads: samples - 100 });
  });

  it('has the header the README and the user guide show (they lacked the compliance column)', () => {
    const root = path.resolve(import.meta.dirname, '..', '..', '..');
    for (const doc of ['README.md', 'resources/help/user-guide.md']) expect(readFileSync(path.join(root, doc), 'utf8'), doc).toContain(CSV_HEADER);
  });

  it('keeps the # lines with --comments (no sidecar unless named), and writes the sidecar where --sidecar says', () => {
    const { dataDir, runId } = storedRun();
    const { file, text } = exportCsv(dataDir, runId, '--comments');
    expect(text.startsWith('# Memristor Workbench run export')).toBe(true);
    expect(text).toContain(`\n# run_id: ${runId}\n`);
    expect(text).toContain(`\n${CSV_HEADER}\n`);
    expect(existsSync(`${file}.json`)).toBe(false);

    const named = path.join(tempDir(), 'provenance.json');
    const out = runCli(['export', runId, '--format', 'csv', '--sidecar', named, '--data-dir', dataDir]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.startsWith(`${CSV_HEADER}\n`)).toBe(true);
    expect(JSON.parse(readFileSync(named, 'utf8'))).toMatchObject({ run: { id: runId } });
  });

  it('ends quietly with success when its reader goes away (piped into head)', () => {
    // Far more than a pipe holds (64 KiB), so the writer is still writing when head closes its end.
    const { dataDir, runId } = storedRun(twoRounds, 40);
    const bin = path.resolve(import.meta.dirname, '..', '..', '..', 'electron', 'bin', 'workbench.js');
    const out = path.join(tempDir(), 'x.csv');
    // The export goes to stdout when --out is not given; head takes two lines and closes the pipe.
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin}" export ${runId} --format csv --data-dir "${dataDir}" 2>"${out}.err" | head -n 2 >"${out}"`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(`${out}.err`, 'utf8')).toBe('');
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(CSV_HEADER);
  });

  it('refuses before writing anything when either file exists, and --sidecar or --comments with JSON', () => {
    const { dataDir, runId } = storedRun();
    const dir = tempDir();
    const csv = path.join(dir, 'run.csv');
    writeFileSync(`${csv}.json`, 'mine');
    const r = runCli(['export', runId, '--format', 'csv', '--out', csv, '--data-dir', dataDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${csv}.json already exists`);
    expect(existsSync(csv)).toBe(false);
    expect(readFileSync(`${csv}.json`, 'utf8')).toBe('mine');
    expect(runCli(['export', runId, '--format', 'json', '--sidecar', path.join(dir, 's.json'), '--data-dir', dataDir]).status).toBe(2);
    expect(runCli(['export', runId, '--format', 'json', '--comments', '--data-dir', dataDir]).status).toBe(2);
    expect(runCli(['export', runId, '--format', 'csv', '--out', csv, '--sidecar', csv, '--data-dir', dataDir]).status).toBe(2);
    // A sidecar whose folder does not exist: refused before the CSV is written, not after.
    const lost = runCli(['export', runId, '--format', 'csv', '--out', csv, '--sidecar', path.join(dir, 'no-such-folder', 's.json'), '--data-dir', dataDir]);
    expect(lost.status).toBe(1);
    expect(lost.stderr.trim()).toBe(`workbench export: --sidecar ${path.join(dir, 'no-such-folder', 's.json')}: the folder ${path.join(dir, 'no-such-folder')} does not exist`);
    expect(existsSync(csv)).toBe(false);
  });
});

describe('workbench fit --csv on the workbench’s own export', () => {
  it('fits an exported simulated run and recovers k_d and τ_g within 5 %', () => {
    const { dataDir, runId } = storedRun();
    const { file } = exportCsv(dataDir, runId);
    const { result, doc } = cliJson<{ ok: boolean; params: Record<string, number>; reads: number; converged: boolean; relativeResidualRms: number; source: string }>([
      'fit',
      '--csv',
      file,
      '--json',
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(doc.ok).toBe(true);
    expect(doc.source).toContain('100 pulses, 161 reads');
    expect(doc.converged).toBe(true);
    expect(within(doc.params.kD!, truth.kD, 0.05)).toBe(true);
    expect(within(doc.params.tauG!, truth.tauG, 0.05)).toBe(true);
    expect(doc.relativeResidualRms).toBeLessThan(0.015);
    // The same run fitted from the store gives the same values: the CSV loses nothing the fit uses.
    const stored = cliJson<{ params: Record<string, number> }>(['fit', '--run', runId, '--data-dir', dataDir, '--json']);
    expect(stored.result.status, stored.result.stderr).toBe(0);
    expect(doc.params.kD! / stored.doc.params.kD!).toBeCloseTo(1, 6);
    expect(doc.params.tauG! / stored.doc.params.tauG!).toBeCloseTo(1, 6);
  });

  it('fits the export saved by a spreadsheet in a decimal-comma locale: semicolons, decimal commas, its own header, columns mapped', () => {
    const { dataDir, runId } = storedRun();
    const { file, text } = exportCsv(dataDir, runId);
    const [, ...body] = text.trimEnd().split('\n');
    const foreign = ['Zeit (s);Spannung (V);Strom (A);Leitwert (S);Art;Breite (s);Puls;Zyklus;Block', ...body.map((l) => l.replaceAll(',', ';').replaceAll('.', ','))].join('\r\n');
    const dir = tempDir();
    writeFileSync(path.join(dir, 'de.csv'), foreign);
    const unmapped = runCli(['fit', '--csv', path.join(dir, 'de.csv')]);
    expect(unmapped.status).toBe(1);
    expect(unmapped.stderr).toContain('the header lacks the required columns t, v, kind');
    const mapped = cliJson<{ params: Record<string, number> }>(['fit', '--csv', path.join(dir, 'de.csv'), '--columns', 't=1,v=2,i=3,g=4,kind=5,width=6', '--json']);
    const own = cliJson<{ params: Record<string, number> }>(['fit', '--csv', file, '--json']);
    expect(mapped.result.status, mapped.result.stderr).toBe(0);
    expect(mapped.doc.params).toEqual(own.doc.params);
    expect(runCli(['fit', '--csv', path.join(dir, 'de.csv'), '--columns', 't=0']).stderr).toContain("--columns: 't=0' is not NAME=N");
  });

  it('fits the --comments export too, and a run without a protocol with --width', () => {
    const { dataDir, runId } = storedRun(null);
    const { file, text } = exportCsv(dataDir, runId, '--comments');
    expect(text).toContain('\n# protocol: (none)\n');
    const without = runCli(['fit', '--csv', file]);
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/line \d+, column 6 \(width_s\): a pulse needs a width/);
    const { result, doc } = cliJson<{ params: Record<string, number> }>(['fit', '--csv', file, '--width', '10 ms', '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(within(doc.params.kD!, truth.kD, 0.05)).toBe(true);
  });

  it('refuses a malformed export naming the line and column, and one that lacks a column', () => {
    const { dataDir, runId } = storedRun();
    const { text } = exportCsv(dataDir, runId);
    const lines = text.split('\n');
    const dir = tempDir();

    const broken = [...lines];
    broken[5] = broken[5]!.replace(/,read,/, ',re"ad,');
    writeFileSync(path.join(dir, 'quote.csv'), broken.join('\n'));
    const quote = runCli(['fit', '--csv', path.join(dir, 'quote.csv')]);
    expect(quote.status).toBe(1);
    expect(quote.stderr).toMatch(/line 6, column 5 \(kind\): a quote inside an unquoted field/);

    const text5 = [...lines];
    text5[9] = text5[9]!.replace(/^[^,]+,[^,]+,/, (m) => m.replace(/,[^,]+,$/, ',0.1 V,'));
    writeFileSync(path.join(dir, 'units.csv'), text5.join('\n'));
    const units = runCli(['fit', '--csv', path.join(dir, 'units.csv')]);
    expect(units.status).toBe(1);
    expect(units.stderr).toContain('line 10, column 2 (v_V): v must be a number of volts (got "0.1 V")');

    const short = [...lines];
    short[3] = short[3]!.split(',').slice(0, 8).join(',');
    writeFileSync(path.join(dir, 'short.csv'), short.join('\n'));
    expect(runCli(['fit', '--csv', path.join(dir, 'short.csv')]).stderr).toContain('line 4: expected 10 values, as the header on line 1 names, found 8');

    const noKind = lines.map((l) => l.split(',').filter((_, k) => k !== 4).join(','));
    writeFileSync(path.join(dir, 'nokind.csv'), noKind.join('\n'));
    const missing = runCli(['fit', '--csv', path.join(dir, 'nokind.csv'), '--json']);
    expect(missing.status).toBe(1);
    const doc = JSON.parse(missing.stdout) as { ok: false; problems: string[] };
    expect(doc.problems).toEqual([expect.stringMatching(/^line 1: the header lacks the required column kind \(found: t_s, v_V, i_A, g_S, width_s, pulse, cycle, block, compliance;/)]);
  });
});
