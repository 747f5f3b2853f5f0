/**
 * The runs area of the contract through the router, as either host calls it: validation with
 * field paths, events, typed-array samples (also over the WebSocket wire encoding), provenance,
 * annotation, deletion and export.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type Envelope } from '../../../shared/contract';
import { intrinsicGradientPreset } from '../../../shared/device';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { CSV_HEADER } from '../../../electron/services/runs';
import { loadProtocol } from '../../../electron/services/library';
import type { SampleColumns } from '../../../shared/samples/columns';
import { onCleanup, readsDoc, tempDir, until } from './helpers';

function services(): AppServices {
  const s = openAppServices({ dataDir: tempDir(), hostKind: 'web' });
  onCleanup(() => s.close());
  return s;
}

async function ok<T = unknown>(s: AppServices, method: string, params: unknown): Promise<T> {
  const r = await s.router.call(method, params);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function err(s: AppServices, method: string, params: unknown): Promise<{ code: string; message: string; details?: { problems: { path: string; message: string }[] } }> {
  const r = (await s.router.call(method, params)) as Envelope<unknown>;
  if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
  return r.error as never;
}

const paths = (e: { details?: { problems: { path: string }[] } }) => (e.details?.problems ?? []).map((p) => p.path);

/** Parses the workbench's CSV back: '#' lines as metadata, then the table. */
export function parseCsv(text: string): { meta: Map<string, string>; header: string; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l !== '');
  const meta = new Map<string, string>();
  let k = 0;
  for (; k < lines.length && lines[k]!.startsWith('#'); k++) {
    const m = /^# ([a-z0-9_]+): (.*)$/.exec(lines[k]!);
    if (m) meta.set(m[1]!, m[2]!);
  }
  return { meta, header: lines[k]!, rows: lines.slice(k + 1).map((l) => l.split(',')) };
}

describe('runs.start', () => {
  it('starts a run on a shipped protocol and preset, reporting state and samples as events', async () => {
    const s = services();
    const events: { name: string; payload: { runId: string; status?: string } }[] = [];
    s.bus.subscribe((name, payload) => events.push({ name, payload: payload as never }));
    const started = await ok<{ runId: string; status: string; queuePosition: number }>(s, 'runs.start', {
      protocol: 'paper-spike-train',
      device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 5 },
      experimentName: 'Contract',
      name: 'via the router',
      tags: ['x'],
    });
    expect(started).toMatchObject({ status: 'queued', queuePosition: 0 });
    const run = await s.runs.whenDone(started.runId);
    expect(run).toMatchObject({ status: 'completed', name: 'via the router', experimentName: 'Contract', tags: ['x'], sampleCount: 200 });
    const mine = events.filter((e) => e.payload.runId === started.runId);
    expect(mine.some((e) => e.name === 'run.samples')).toBe(true);
    expect(mine.filter((e) => e.name === 'run.state').at(-1)!.payload.status).toBe('completed');
  });

  it('takes a whole protocol document and a whole preset document', async () => {
    const s = services();
    const { runId } = await ok<{ runId: string }>(s, 'runs.start', {
      protocol: readsDoc(50),
      device: { kind: 'simulated', preset: { ...intrinsicGradientPreset, name: 'my-copy' }, noise: false },
      pace: 'fast',
    });
    const run = await s.runs.whenDone(runId);
    expect(run.status).toBe('completed');
    expect(run.device).toMatchObject({ preset: 'my-copy', noise: false });
    expect(typeof (run.device as { seed: unknown }).seed).toBe('number'); // a random seed, recorded
  });

  it('validates the protocol against the workbench safety limits from Settings', async () => {
    const s = services();
    await ok(s, 'settings.update', { limits: { maxVoltage: 1.5 } });
    const e = await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'intrinsic-gradient' } });
    expect(e.code).toBe('invalid_request');
    expect(paths(e)).toEqual(['protocol.blocks[0].amplitude']);
    expect(e.message).toContain('1.5 V');
    expect(s.store.runs.list().total).toBe(0);
  });

  it('answers invalid_request naming every problem of the protocol and the device', async () => {
    const s = services();
    const e = await err(s, 'runs.start', {
      protocol: { format: 'memristor-workbench/protocol', version: 1, name: 'bad', blocks: [{ kind: 'pulse', amplitude: '20 V', width: '-1 ms' }] },
      device: { kind: 'simulated', preset: { ...intrinsicGradientPreset, params: { ...intrinsicGradientPreset.params, tauG: -5 } } },
    });
    expect(e.code).toBe('invalid_request');
    expect(e.message).toContain('runs.start');
    expect(paths(e)).toEqual(expect.arrayContaining(['protocol.blocks[0].amplitude', 'protocol.blocks[0].width', 'device.preset.params.tauG']));
    expect(s.store.runs.list().total).toBe(0);

    expect(paths(await err(s, 'runs.start', { protocol: 'no-such-protocol', device: { kind: 'simulated', preset: 'intrinsic-gradient' } }))).toEqual(['protocol']);
    expect(paths(await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'no-such-preset' } }))).toEqual(['device.preset']);
    expect(paths(await err(s, 'runs.start', { protocol: '../../etc/passwd', device: { kind: 'simulated', preset: 'intrinsic-gradient' } }))).toEqual(['protocol']);
    expect(paths(await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'x', seed: -1 } }))).toEqual(['device.seed']);
    expect(paths(await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'x' }, pace: 'slow' }))).toEqual(['pace']);
    expect(paths(await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'laser' } }))).toEqual(['device.kind']);
    expect(paths(await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'x' }, experimentId: '5a3b1e0c-6f2d-4c8e-9b7a-0d1e2f3a4b5c', experimentName: 'also' }))).toEqual(['experimentName']);
    expect(paths(await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'x' }, colour: 'red' }))).toEqual(['colour']);
    const missing = await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'intrinsic-gradient' }, experimentId: '5a3b1e0c-6f2d-4c8e-9b7a-0d1e2f3a4b5c' });
    expect(missing.code).toBe('not_found');
    expect(s.store.runs.list().total).toBe(0);
    // An instrument on a port that is not there: refused with the reason, nothing recorded (#18).
    const noPort = await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'instrument', port: '/dev/wb-no-such-port', driver: 'keithley2400' } });
    expect(paths(noPort)).toEqual(['device.port']);
    expect(noPort.message).toContain('/dev/wb-no-such-port does not exist');
    const noAsrl = await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'instrument', port: 'ASRL/dev/wb-no-such-port::INSTR', driver: 'keithley2400' } });
    expect(noAsrl.message).toContain('/dev/wb-no-such-port does not exist');
    // An address that is not one is refused with the parser's reason (#15).
    const vxi = await err(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'instrument', port: 'TCPIP::10.0.0.5::INSTR', driver: 'keithley2450' } });
    expect(paths(vxi)).toEqual(['device.port']);
    expect(vxi.message).toMatch(/VXI-11/);
    expect(s.store.runs.list().total).toBe(0);
  });

  it('takes a LAN resource string for an instrument run: not refused as a missing serial port (#15)', { timeout: 30_000 }, async () => {
    const s = services();
    // Nothing listens on this loopback port: the run is created and ends failed, saying it could not connect.
    const { runId } = await ok<{ runId: string }>(s, 'runs.start', { protocol: readsDoc(3), device: { kind: 'instrument', port: 'TCPIP::127.0.0.1::47639::SOCKET', driver: 'keithley2450' } });
    const ended = await s.runs.whenDone(runId);
    expect(ended.status).toBe('failed');
    expect(ended.exitReason).toMatch(/could not connect to 127\.0\.0\.1:47639/);
  });
});

describe('reading and managing runs', () => {
  async function completedRun(s: AppServices, n = 5000): Promise<string> {
    const { runId } = await ok<{ runId: string }>(s, 'runs.start', { protocol: readsDoc(n), device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 9 } });
    await s.runs.whenDone(runId);
    return runId;
  }

  it('runs.samples returns typed-array columns, in ranges, that survive the WebSocket wire encoding', async () => {
    const s = services();
    const id = await completedRun(s);
    const all = await ok<{ from: number; to: number; total: number; status: string; columns: SampleColumns }>(s, 'runs.samples', { id });
    expect(all).toMatchObject({ from: 0, to: 5000, total: 5000, status: 'completed' });
    expect(all.columns.t).toBeInstanceOf(Float64Array);
    expect(all.columns.kind).toBeInstanceOf(Uint8Array);
    expect(all.columns.block).toBeInstanceOf(Int32Array);
    const part = await ok<{ from: number; to: number; columns: SampleColumns }>(s, 'runs.samples', { id, from: 1000, to: 1010 });
    expect(part).toMatchObject({ from: 1000, to: 1010 });
    expect([...part.columns.g]).toEqual([...all.columns.g.subarray(1000, 1010)]);
    const past = await ok<{ from: number; to: number; columns: SampleColumns }>(s, 'runs.samples', { id, from: 9000 });
    expect(past).toMatchObject({ from: 5000, to: 5000 });
    expect(past.columns.length).toBe(0);
    expect(paths(await err(s, 'runs.samples', { id, from: 10, to: 5 }))).toEqual(['to']);

    const frame = encodeMessage({ type: 'response', id: 1, result: { ok: true, value: all } });
    expect(frame).toBeInstanceOf(Uint8Array);
    expect((frame as Uint8Array).byteLength).toBeLessThan(5000 * 38 + 4096); // binary, not JSON numbers
    const back = decodeMessage(frame) as { result: { value: { columns: SampleColumns } } };
    expect([...back.result.value.columns.g]).toEqual([...all.columns.g]);
  });

  it('runs.detail, runs.update and runs.delete', async () => {
    const s = services();
    const id = await completedRun(s, 100);
    const detail = await ok<{ protocolHash: string; device: { seed: number }; events: unknown[]; owner: { pid: number } }>(s, 'runs.detail', { id });
    expect(detail.protocolHash).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.device.seed).toBe(9);
    expect(detail.owner.pid).toBe(process.pid);
    const updated = await ok<{ name: string; notes: string; tags: string[] }>(s, 'runs.update', { id, name: 'renamed', notes: 'line 1\nline 2', tags: ['a', 'b', 'a'] });
    expect(updated).toMatchObject({ name: 'renamed', notes: 'line 1\nline 2', tags: ['a', 'b'] });
    expect((await err(s, 'runs.update', { id })).code).toBe('invalid_request');
    expect(paths(await err(s, 'runs.update', { id, name: '   ' }))).toEqual(['name']);
    expect(await ok(s, 'runs.delete', { id })).toEqual({ id });
    expect((await err(s, 'runs.detail', { id })).code).toBe('not_found');
  });

  it('refuses to delete a running run, and deletes a queued one (it never starts)', async () => {
    const s = services();
    const a = await ok<{ runId: string }>(s, 'runs.start', { protocol: readsDoc(100, '10 ms'), device: { kind: 'simulated', preset: 'intrinsic-gradient' }, pace: 'realtime' });
    const b = await ok<{ runId: string }>(s, 'runs.start', { protocol: readsDoc(10), device: { kind: 'simulated', preset: 'intrinsic-gradient' } });
    await until(() => s.store.runs.get(a.runId).status === 'running');
    const active = await ok<{ running: { runId: string; progress: { total: number } }; queue: { runId: string; queuePosition: number }[] }>(s, 'runs.active', {});
    expect(active.running).toMatchObject({ runId: a.runId, progress: { total: 100 } });
    expect(active.queue).toMatchObject([{ runId: b.runId, queuePosition: 1 }]);
    expect((await err(s, 'runs.delete', { id: a.runId })).code).toBe('conflict');
    expect(await ok(s, 'runs.delete', { id: b.runId })).toEqual({ id: b.runId });
    expect(await ok(s, 'runs.control', { id: a.runId, action: 'abort' })).toEqual({ runId: a.runId, status: 'aborted' });
    expect(paths(await err(s, 'runs.control', { id: a.runId, action: 'explode' }))).toEqual(['action']);
    expect((await err(s, 'runs.control', { id: b.runId, action: 'stop' })).code).toBe('not_found');
  });

  it('exports a tidy CSV that parses back to the stored samples, its provenance in a sidecar or, asked, in # lines', async () => {
    const s = services();
    const { runId } = await ok<{ runId: string }>(s, 'runs.start', {
      protocol: 'paper-spike-train',
      device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 2 },
      name: 'CSV, "quoted"\nand two lines',
      notes: 'a note\nover two lines',
    });
    const run = await s.runs.whenDone(runId);
    type Exported = { filename: string; mime: string; text: string; sidecar: { filename: string; mime: string; text: string } | null };
    const out = await ok<Exported>(s, 'runs.export', { id: runId, format: 'csv' });
    expect(out.mime).toBe('text/csv');
    expect(out.filename).toMatch(new RegExp(`^csv-quoted-and-two-lines-${runId.slice(0, 8)}\\.csv$`));
    const tidy = parseCsv(out.text);
    expect(tidy.meta.size).toBe(0);
    expect(out.text.startsWith(`${CSV_HEADER}\n`)).toBe(true);
    const samples = s.store.readSamples(runId);
    expect(tidy.rows).toHaveLength(samples.length);
    let pulses = 0;
    tidy.rows.forEach((r, k) => {
      expect(Math.abs(Number(r[0]) - samples.t[k]!)).toBeLessThanOrEqual(5e-10 + samples.t[k]! * 2 ** -52);
      expect(Number(r[1])).toBe(samples.v[k]);
      expect(Number(r[2])).toBe(samples.i[k]);
      expect(Number(r[3])).toBe(samples.g[k]);
      expect(r[4]).toBe(samples.kind[k] === 1 ? 'pulse' : 'read');
      expect(r[5]).toBe(samples.kind[k] === 1 ? '0.01' : '');
      if (samples.kind[k] === 1) pulses++;
      expect(Number(r[6])).toBe(pulses);
      expect(r[7]).toBe('0'); // one train, in no repeat or sweep
      expect(Number(r[8])).toBe(samples.block[k]);
    });
    expect(out.sidecar).toMatchObject({ filename: `${out.filename}.json`, mime: 'application/json' });
    const sidecar = JSON.parse(out.sidecar!.text) as { run: Record<string, unknown>; table: { rows: number } };
    expect(sidecar.table.rows).toBe(samples.length);
    expect(sidecar.run).toMatchObject({ id: runId, name: 'CSV, "quoted"\nand two lines', notes: 'a note\nover two lines', protocolName: 'Paper spike train', protocolHash: run.protocolHash, device: run.device, appVersion: run.appVersion });

    const commented = await ok<Exported>(s, 'runs.export', { id: runId, format: 'csv', comments: true });
    const { meta, header, rows } = parseCsv(commented.text);
    expect(header).toBe(CSV_HEADER);
    expect(rows).toEqual(tidy.rows);
    expect(meta.get('run_id')).toBe(runId);
    expect(meta.get('run_name')).toBe('CSV, "quoted" and two lines');
    expect(meta.get('experiment')).toBe('Default');
    expect(meta.get('status')).toBe('completed');
    expect(meta.get('protocol')).toBe('Paper spike train');
    expect(meta.get('protocol_sha256')).toBe(run.protocolHash);
    expect(meta.get('device')).toContain('intrinsic-gradient');
    expect(meta.get('device')).toContain('seed 2');
    expect(meta.get('app_version')).toBe(run.appVersion);
    expect(JSON.parse(meta.get('notes')!)).toBe('a note\nover two lines');
    for (const key of ['created_at', 'started_at', 'ended_at']) {
      const v = meta.get(key)!;
      expect(v).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
      expect(new Date(v).getTime()).toBe(new Date((run as unknown as Record<string, string>)[key.replace(/_at$/, 'At')]!).getTime());
    }

    const json = await ok<Exported>(s, 'runs.export', { id: runId, format: 'json' });
    expect(json.sidecar).toBeNull();
    expect(json.mime).toBe('application/json');
    const doc = JSON.parse(json.text) as { format: string; run: { id: string; protocol: unknown; device: unknown }; samples: { g: number[]; kind: number[] } };
    expect(doc.format).toBe('memristor-workbench/run');
    expect(doc.run.id).toBe(runId);
    expect(doc.run.protocol).toEqual(loadProtocol('paper-spike-train').source);
    expect(doc.run.device).toEqual(run.device);
    expect(doc.samples.g).toEqual([...samples.g]);
    expect(doc.samples.kind).toEqual([...samples.kind]);
  });
});
