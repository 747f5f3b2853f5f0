/**
 * The lab area through the real router (contract validation, handler, store): a sample, a chip and
 * two devices; a simulated run on each (the run engine, the sample writer thread); each device's
 * timeline and the chip's map read their figures from the runs' samples; bad input is refused with
 * a sentence and its code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/contract';

const open: AppServices[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function services(): AppServices {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-'));
  dirs.push(dir);
  const s = openAppServices({ dataDir: dir, hostKind: 'cli' });
  open.push(s);
  return s;
}

async function call<N extends RequestName>(s: AppServices, method: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const r = await s.router.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as RequestOutput<N>;
}

async function refusal(s: AppServices, method: RequestName, input: unknown): Promise<{ code: string; message: string }> {
  const r = await s.router.call(method, input);
  if (r.ok) throw new Error(`${method} accepted ${JSON.stringify(input)}`);
  return r.error;
}

describe('lab requests', () => {
  it('runs on two devices of a crossbar, then shows their timelines, the chip map and the D2D values', async () => {
    const s = services();
    const sample = await call(s, 'lab.samples.create', { name: 'W7', kind: 'wafer', materialStack: 'Pt/Ta2O5/Ta' });
    const chip = await call(s, 'lab.chips.create', { sampleId: sample.id, name: 'X1', rows: 2, cols: 2 });
    const a = await call(s, 'lab.devices.create', { chipId: chip.id, wordLine: 0, bitLine: 0 });
    const b = await call(s, 'lab.devices.create', { chipId: chip.id, wordLine: 1, bitLine: 0 });
    for (const d of [a, b]) {
      const { runId } = await call(s, 'runs.start', { protocol: 'iv-hysteresis', device: { kind: 'simulated', preset: 'bipolar-oxide', seed: 3 }, deviceId: d.id });
      expect((await s.runs.whenDone(runId)).status).toBe('completed');
    }
    const t = await call(s, 'lab.devices.timeline', { id: a.id });
    expect(t.device.runs).toBe(1);
    expect(t.entries).toHaveLength(1);
    expect(t.entries[0]!.pulses).toBeGreaterThan(0);
    expect(t.entries[0]!.cumulativePulses).toBe(t.entries[0]!.pulses);
    expect(t.entries[0]!.stressVs).toBeGreaterThan(0); // the protocol replays: widths known
    const map = await call(s, 'lab.chips.map', { id: chip.id });
    expect(map.cells.map((c) => [c.wordLine, c.bitLine, c.runs])).toEqual([
      [0, 0, 1],
      [1, 0, 1],
    ]);
    expect(map.cells.map((c) => [c.cyclesSurvived, c.yield])).toEqual([
      [10, 1],
      [10, 1],
    ]);
    const d2d = await call(s, 'lab.variability', { chipId: chip.id, mode: 'd2d' });
    expect(d2d.devices).toBe(2);
    expect(d2d.hrs).toHaveLength(2);
    const c2c = await call(s, 'lab.variability', { deviceIds: [a.id], mode: 'c2c' });
    expect(c2c.vSet).toHaveLength(10); // the loops' ten cycles (the forming sweep is no cycle)
    // a simulated run without a device goes to its preset's virtual device
    const { runId } = await call(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 3 } });
    await s.runs.whenDone(runId);
    const virtual = (await call(s, 'lab.devices.list', {})).find((d) => d.virtualKey === 'sim:intrinsic-gradient');
    expect(virtual?.runs).toBe(1);
  });

  it('refuses bad input with its code and a sentence', async () => {
    const s = services();
    const sample = await call(s, 'lab.samples.create', { name: 'P1', kind: 'piece' });
    const chip = await call(s, 'lab.chips.create', { sampleId: sample.id, name: 'X', rows: 2, cols: 2 });
    const d = await call(s, 'lab.devices.create', { chipId: chip.id, wordLine: 0, bitLine: 0 });
    expect(await refusal(s, 'lab.devices.create', { chipId: chip.id, wordLine: 0, bitLine: 0, name: 'twin' })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already holds device/) });
    expect(await refusal(s, 'lab.devices.create', { chipId: chip.id, wordLine: 5, bitLine: 0 })).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/outside crossbar "X"/) });
    expect((await refusal(s, 'lab.chips.create', { sampleId: sample.id, name: 'Y', rows: 3 })).code).toBe('invalid_request');
    expect((await refusal(s, 'lab.samples.create', { name: 'Z', kind: 'disc' })).code).toBe('invalid_request');
    const { runId } = await call(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'ideal', seed: 1 }, deviceId: d.id });
    await s.runs.whenDone(runId);
    expect(await refusal(s, 'lab.devices.delete', { id: d.id })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/archive it instead/) });
    expect((await call(s, 'lab.devices.list', { chipId: chip.id })).map((x) => x.id)).toEqual([d.id]);
    // a run on an unknown device is refused before anything is recorded
    const missing = await refusal(s, 'runs.start', { protocol: 'paper-spike-train', device: { kind: 'simulated', preset: 'ideal' }, deviceId: '00000000-0000-4000-8000-00000000dead' });
    expect(missing.code).toBe('not_found');
  });
});
