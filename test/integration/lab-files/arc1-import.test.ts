/**
 * `workbench import-arc1` on crafted ArC ONE session files (.csv and .csv.gz), and `workbench stats`
 * on the chip it makes, checked against a hand computation; malformed files are refused at their
 * line and column with nothing imported.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/services/store';
import { parseArc1Session } from '../../../electron/services/files/arc1-session';
import { SampleBuilder, SampleKind } from '../../../shared/samples/columns';
import { cliJson, runCli, tempDir } from '../cli-science/helpers';

const HEADER = 'Wordline,Bitline,Resistance,Amplitude (V),Pulse width (s),Tag,ReadTag,ReadVoltage';

/** Three cells: (1,1) a read then a switching module, (1,2) a retention module of reads, (2,1) a switching module. */
const SESSION = [
  'demo session',
  '2026-11-30 14:05:00',
  HEADER,
  '1,1,10000,0.2,0,S R,R1,0.2',
  '1,1,1000,1.5,0.0001,EN_s,R1,0.2',
  '1,1,12000,-1.8,0.0001,EN_i,R1,0.2',
  '1,1,900,1.6,0.0001,EN_i,R1,0.2',
  '1,1,11000,-1.7,0.0001,EN_e,R1,0.2',
  '1,2,5000,0.2,0,RET_s,R1,0.2',
  '1,2,5100,0.2,0,RET_e,R1,0.2',
  '2,1,2000,1.2,1e-4,EN_s,R1,"0.2"',
  '2,1,20000,-1.5,1e-4,EN_i,R1,0.2',
  '2,1,1800,1.4,1e-4,EN_i,R1,0.2',
  '2,1,21000,-1.6,1e-4,EN_e,R1,0.2',
  '',
].join('\n');

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

const sampleMedian = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const cv = (xs: number[]) => {
  const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mu) ** 2, 0) / (xs.length - 1));
  return (100 * sd) / Math.abs(mu);
};

describe('workbench import-arc1', () => {
  it('makes the chip, its devices at their coordinates and one run per module group; .csv.gz the same', () => {
    for (const file of [write('session.csv', SESSION), write('session.csv.gz', gzipSync(SESSION))]) {
      const dataDir = tempDir();
      const { result, doc } = cliJson<{ chipId: string; devices: number; runs: number; samples: number }>(['import-arc1', file, '--chip', 'X1', '--data-dir', dataDir, '--json']);
      expect(result.status, result.stderr).toBe(0);
      expect(doc).toMatchObject({ devices: 3, runs: 4, samples: 11 + 8 });
      const store = openStore(dataDir, { appVersion: 'test' });
      try {
        const chip = store.lab.getChip(doc.chipId);
        expect(chip).toMatchObject({ name: 'X1', rows: 3, cols: 3, sampleName: 'demo session', devices: 3 });
        const devices = store.lab.listDevices({ chipId: chip.id });
        expect(devices.map((d) => [d.wordLine, d.bitLine, d.runs]).sort()).toEqual([
          [1, 1, 2],
          [1, 2, 1],
          [2, 1, 1],
        ]);
        const first = devices.find((d) => d.wordLine === 1 && d.bitLine === 1)!;
        const runs = store.labFiles.runsOfDevice(first.id).map((id) => store.runs.get(id));
        expect(runs.map((r) => [r.name, r.status, r.tags])).toEqual([
          ['S R #1 on W1B1', 'completed', ['arc1', 'S R']],
          ['EN #2 on W1B1', 'completed', ['arc1', 'EN']],
        ]);
        // A pulse then its read, per row; times are the sums of the widths before.
        const s = store.readSamples(runs[1]!.id);
        expect(Array.from(s.kind)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
        expect(Array.from(s.v)).toEqual([1.5, 0.2, -1.8, 0.2, 1.6, 0.2, -1.7, 0.2]);
        expect(s.g[1]).toBe(1 / 1000);
        expect(s.t[7]).toBeCloseTo(4e-4, 15);
      } finally {
        store.close();
      }
    }
  });

  it('workbench stats --chip matches a hand computation (device to device), --device cycle to cycle', () => {
    const dataDir = tempDir();
    const { doc } = cliJson<{ chipId: string }>(['import-arc1', write('s.csv', SESSION), '--data-dir', dataDir, '--json']);
    const { result, doc: stats } = cliJson<Record<string, unknown>>(['stats', '--chip', doc.chipId, '--data-dir', dataDir, '--json']);
    expect(result.status, result.stderr).toBe(0);
    // shared/analysis pairs each positive pulse with the negative one after it (a cycle); a SET counts
    // when the read after it is ≥ 2× the conductance read before it, a RESET when the read after it
    // is ≤ ½ the LRS; HRS counts with a RESET, LRS with a SET. The first pulse of a run has no read
    // before it in that run, so its SET is unknown. ArC ONE measures no current during a pulse and a
    // lobe of one pulse has no V_set/V_reset, so those are absent.
    // (1,1): the S R run has no pulses; EN: cycles (HRS 12000, LRS –) and (11000, 900) → medians 11500, 900
    // (1,2): reads only, no cycles; (2,1): (20000, –) and (21000, 1800) → medians 20500, 1800
    const hrs = [11500, 20500];
    const lrs = [900, 1800];
    const r = stats as { devices: number; yield: number; mode: string; hrs: { median: number; cv: number; n: number }; lrs: { median: number; cv: number }; vSet: { median: number | null; n: number }; vReset: { median: number | null; n: number } };
    expect(r.devices).toBe(3);
    expect(r.mode).toBe('d2d');
    // (1,1) and (2,1) switch (median HRS / median LRS ≥ 2); (1,2) was never switched: 2 of 3.
    expect(r.yield).toBeCloseTo(2 / 3, 12);
    expect(r.hrs.n).toBe(2);
    expect(r.hrs.median).toBeCloseTo(sampleMedian(hrs), 6);
    expect(r.hrs.cv).toBeCloseTo(cv(hrs), 6);
    expect(r.lrs.median).toBeCloseTo(sampleMedian(lrs), 6);
    expect(r.lrs.cv).toBeCloseTo(cv(lrs), 6);
    expect(r.vSet).toMatchObject({ n: 0, median: null });
    expect(r.vReset).toMatchObject({ n: 0, median: null });
    // One device, its cycles: (12000, –) and (11000, 900).
    const store = openStore(dataDir, { appVersion: 'test' });
    const device = store.lab.listDevices({ chipId: doc.chipId }).find((d) => d.wordLine === 1 && d.bitLine === 1)!;
    store.close();
    const one = cliJson<{ devices: number; yield: number; mode: string; hrs: { median: number }; lrs: { median: number } }>(['stats', '--device', device.id, '--data-dir', dataDir, '--json']).doc;
    expect(one).toMatchObject({ devices: 1, yield: 1, mode: 'c2c' });
    expect(one.hrs.median).toBeCloseTo(11500, 6);
    expect(one.lrs.median).toBeCloseTo(900, 6);
    const text = runCli(['stats', '--chip', doc.chipId, '--data-dir', dataDir]);
    expect(text.stdout).toContain('3 device(s), device to device; yield 66.7 %');
    expect(runCli(['stats', '--data-dir', dataDir]).stderr).toContain('--device ID or --chip ID');
  });

  it('refuses a malformed file at its line and column, and imports nothing', () => {
    const lines = SESSION.split('\n');
    const cases: [string, string | Uint8Array, string][] = [
      ['missing column', [lines[0], lines[1], HEADER.replace(',ReadVoltage', ''), ...lines.slice(3)].join('\n'), "line 3, column 8 (ReadVoltage): missing column 'ReadVoltage'"],
      ['text in a number column', [...lines.slice(0, 6), '1,1,abc,1.6,0.0001,EN_i,R1,0.2', ...lines.slice(7)].join('\n'), "line 7, column 3 (Resistance): 'abc' is not a number"],
      ['a decimal comma', [...lines.slice(0, 9), '1,2,"5100,5",0.2,0,RET_e,R1,0.2', ...lines.slice(10)].join('\n'), "line 10, column 3 (Resistance): '5100,5' is not a number"],
      ['a short row', [...lines.slice(0, 4), '1,1,1000,1.5', ...lines.slice(5)].join('\n'), 'line 5, column 5 (Pulse width (s)): expected 8 values'],
      ['a 10 MB line', [...lines.slice(0, 8), `1,2,5000,0.2,0,${'x'.repeat(10 * 1024 * 1024)},R1,0.2`, ...lines.slice(9)].join('\n'), 'line 9, column 6 (Tag): the row is longer than 65536 bytes'],
      ['gz, negative width', gzipSync([...lines.slice(0, 11), '2,1,20000,-1.5,-1e-4,EN_i,R1,0.2', ...lines.slice(12)].join('\n')), 'line 12, column 5 (Pulse width (s)): -1e-4 is not a pulse width of 0 s or more'],
      ['no header', 'name\ndate\n', 'line 3: the header is missing'],
      // Saved as "Unicode" (UTF-16) by Excel or Notepad: said so, not 'the header is missing'.
      ['UTF-16', Buffer.from(`\uFEFF${SESSION}`, 'utf16le'), 'is UTF-16 text; the workbench reads UTF-8'],
      ['gz of UTF-16', gzipSync(Buffer.from(SESSION, 'utf16le')), 'is UTF-16 text; the workbench reads UTF-8'],
    ];
    for (const [what, content, message] of cases) {
      const dataDir = tempDir();
      const gz = typeof content !== 'string' && content[0] === 0x1f && content[1] === 0x8b;
      const r = runCli(['import-arc1', write(gz ? 'bad.csv.gz' : 'bad.csv', content), '--data-dir', dataDir, '--json']);
      expect(r.status, what).not.toBe(0);
      expect(r.stderr, what).toContain(message);
      expect(r.stdout, what).toBe('');
    }
  });

  it('a failure while storing rolls the whole import back', () => {
    const dataDir = tempDir();
    const store = openStore(dataDir, { appVersion: 'test' });
    try {
      const b = new SampleBuilder();
      b.push(0, 0.2, 2e-5, 1e-4, SampleKind.read, -1);
      const run = { name: 'r', tags: ['arc1'], notes: '', samples: b.take() };
      const chip = { sampleName: 's', sampleNotes: '', chipName: 'c', experimentName: 'e', rows: 2, cols: 2 };
      // The second device sits where the first is: the store refuses it after the first was written.
      expect(() => store.labFiles.importChip({ ...chip, devices: [{ wordLine: 0, bitLine: 0, runs: [run] }, { wordLine: 0, bitLine: 0, runs: [run] }] })).toThrow();
      expect(store.lab.listSamples().filter((s) => s.kind !== 'virtual')).toEqual([]);
      expect(store.lab.listChips().filter((c) => c.name === 'c')).toEqual([]);
      expect(store.runs.list({}).runs.filter((x) => x.name === 'r')).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('groups rows per cell by module, a _s tag starting a new group (parser)', () => {
    const s = parseArc1Session(['n', 'd', HEADER, '0,0,1,1,1e-6,P,R,0.2', '0,0,1,1,1e-6,P,R,0.2', '0,0,1,1,1e-6,FF_s,R,0.2', '0,0,1,1,1e-6,FF_s,R,0.2', '0,1,1,1,0,S R,R,0.2', '0,0,1,1,0,S R,R,0.2'].join('\r\n'));
    expect(s.cells.map((c) => [c.wordLine, c.bitLine, c.groups.map((g) => `${g.module}:${g.rows.length}`)])).toEqual([
      [0, 0, ['P:2', 'FF:1', 'FF:1', 'S R:1']],
      [0, 1, ['S R:1']],
    ]);
    expect(s.rows).toBe(6);
    expect(s.cells[0]!.groups[3]!.rows[0]!.line).toBe(9);
  });
});
