import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type Envelope } from '../../../shared/contract';
import type { DeviceFitOutcome, DevicePresetEntry } from '../../../shared/contract/areas/devices';
import { createDevice, intrinsicGradientPreset } from '../../../shared/device';
import { formatTraceCsv } from '../../../shared/fit';
import { compileProtocol, simulateProtocol } from '../../../shared/protocol';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { noisyTrace, tempDir, truth } from './helpers';

/** The devices area through the real router, as either host calls it. */
const open: AppServices[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function services(): AppServices {
  const s = openAppServices({ dataDir: tempDir(), hostKind: 'web' });
  open.push(s);
  return s;
}

async function call<T>(s: AppServices, method: string, params: unknown): Promise<Envelope<T>> {
  // Through the wire encoding too, as the web host would carry it.
  const envelope = await s.router.call(method, params);
  return decodeMessage(encodeMessage(envelope)) as Envelope<T>;
}

async function value<T>(s: AppServices, method: string, params: unknown): Promise<T> {
  const r = await call<T>(s, method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

describe('devices.presets.*', () => {
  it('lists the shipped presets, read-only, then the saved ones', async () => {
    const s = services();
    const list = await value<DevicePresetEntry[]>(s, 'devices.presets.list', {});
    expect(list.map((e) => [e.name, e.origin, e.source])).toEqual([
      ['bipolar-oxide', 'shipped', 'ours'],
      ['filamentary', 'shipped', 'ours'],
      ['ideal', 'shipped', 'ours'],
      ['intrinsic-gradient', 'shipped', 'ours'],
    ]);
    const preset = { ...intrinsicGradientPreset, name: 'cell-7', title: 'Cell 7', source: 'measured' };
    const saved = await value<DevicePresetEntry>(s, 'devices.presets.save', { preset });
    expect(saved).toMatchObject({ name: 'cell-7', origin: 'saved', source: 'measured', model: 'intrinsic-gradient' });
    expect(saved.updatedAt).not.toBeNull();
    const after = await value<DevicePresetEntry[]>(s, 'devices.presets.list', {});
    expect(after.map((e) => e.name)).toEqual(['bipolar-oxide', 'filamentary', 'ideal', 'intrinsic-gradient', 'cell-7']);

    const got = await value<{ entry: DevicePresetEntry; preset: typeof preset }>(s, 'devices.presets.get', { name: 'cell-7' });
    expect(got.preset).toEqual(preset);
    const shipped = await value<{ entry: DevicePresetEntry; preset: typeof preset }>(s, 'devices.presets.get', { name: 'intrinsic-gradient' });
    expect(shipped.entry.origin).toBe('shipped');
    expect(shipped.preset.params).toEqual(intrinsicGradientPreset.params);

    await value(s, 'devices.presets.delete', { name: 'cell-7' });
    const gone = await call(s, 'devices.presets.get', { name: 'cell-7' });
    expect(gone.ok || gone.error.code).toBe('not_found');
  });

  it('refuses to overwrite or delete a shipped preset, and to overwrite a saved one unasked', async () => {
    const s = services();
    const overwrite = await call(s, 'devices.presets.save', { preset: intrinsicGradientPreset });
    expect(overwrite.ok || overwrite.error.code).toBe('conflict');
    expect(overwrite.ok || overwrite.error.message).toContain('read-only');
    const del = await call(s, 'devices.presets.delete', { name: 'ideal' });
    expect(del.ok || del.error.code).toBe('conflict');

    const preset = { ...intrinsicGradientPreset, name: 'cell-8' };
    await value(s, 'devices.presets.save', { preset });
    const twice = await call(s, 'devices.presets.save', { preset });
    expect(twice.ok || twice.error.code).toBe('conflict');
    await value(s, 'devices.presets.save', { preset: { ...preset, title: 'Renamed' }, overwrite: true });
    expect((await value<{ entry: DevicePresetEntry }>(s, 'devices.presets.get', { name: 'cell-8' })).entry.title).toBe('Renamed');
  });

  it('rejects an invalid preset at the boundary, naming each field in a sentence', async () => {
    const s = services();
    const bad = { ...intrinsicGradientPreset, name: 'cell-9', params: { ...intrinsicGradientPreset.params, kD: 3, tauG: 0 }, extra: 1 };
    const r = await call(s, 'devices.presets.save', { preset: bad });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_request');
    const problems = (r.error.details as { problems: { path: string; message: string }[] }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'preset.params.kD', message: 'kD must be in (0, 1] (got 3)' },
        { path: 'preset.params.tauG', message: 'tauG must be a positive number of seconds (got 0)' },
        expect.objectContaining({ path: 'preset.extra' }),
      ]),
    );
    const odd = await call(s, 'devices.presets.get', { name: '../etc/passwd' });
    expect(odd.ok || odd.error.code).toBe('invalid_request');
  });
});

describe('devices.fit', () => {
  it('fits an uploaded CSV and returns the fitted curve over the data as typed arrays', async () => {
    const s = services();
    const text = formatTraceCsv(noisyTrace(21));
    const fit = await value<DeviceFitOutcome>(s, 'devices.fit', {
      model: 'intrinsic-gradient',
      source: { kind: 'csv', text, fileName: 'cell.csv' },
      presetName: 'cell-21',
    });
    if (!fit.ok) throw new Error(fit.problems.join('; '));
    expect(Math.abs(fit.params.kD! / truth.kD - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.params.tauG! / truth.tauG - 1)).toBeLessThan(0.05);
    expect(fit.t).toBeInstanceOf(Float64Array);
    expect(fit.t).toHaveLength(161);
    expect(fit.measured).toHaveLength(161);
    expect(fit.fitted).toHaveLength(161);
    expect(fit.pulses).toHaveLength(100);
    expect(fit.sourceDescription).toBe('cell.csv: 100 pulses, 161 reads');
    expect(fit.preset).toMatchObject({ name: 'cell-21', source: 'fitted' });
    expect(fit.estimates.kD!.standardError).toBeGreaterThan(0);
    // The fitted preset can be saved as it is.
    await value(s, 'devices.presets.save', { preset: fit.preset });
  });

  it('starts from, and holds, the values it is given', async () => {
    const s = services();
    const text = formatTraceCsv(noisyTrace(22));
    const fit = await value<DeviceFitOutcome>(s, 'devices.fit', {
      model: 'intrinsic-gradient',
      source: { kind: 'csv', text },
      free: ['k_d', 'tau_g'],
      start: { ...truth, kS: 0.031 },
    });
    if (!fit.ok) throw new Error(fit.problems.join('; '));
    expect(fit.free).toEqual(['kD', 'tauG']);
    expect(fit.params.kS).toBe(0.031);
    expect(fit.params.rho).toBe(truth.rho);
    expect(fit.preset?.provenance).toMatchObject({ kD: 'fitted', tauG: 'fitted', kS: 'ours' });
  });

  it('answers bad data with every problem, not an error', async () => {
    const s = services();
    const fit = await value<DeviceFitOutcome>(s, 'devices.fit', {
      model: 'ideal',
      source: { kind: 'csv', text: 't,v,i,g,kind\n0,0.1,1e-6,,read\n1,2,,,pulse\nfoo,bar\n' },
    });
    expect(fit).toEqual({
      ok: false,
      problems: ['line 3: a pulse needs a width: add a width column or give a default pulse width', 'line 4: expected 5 (t, v, i, g, kind) values, found 2'],
    });
    const unknown = await value<DeviceFitOutcome>(s, 'devices.fit', { model: 'ideal', source: { kind: 'csv', text: formatTraceCsv(noisyTrace(1)) }, free: ['tauG'] });
    expect(unknown.ok || unknown.problems[0]).toContain('tauG is not a parameter of the ideal model');
    const filamentary = await call(s, 'devices.fit', { model: 'filamentary', source: { kind: 'csv', text: '' } });
    expect(filamentary.ok || filamentary.error.code).toBe('invalid_request');
  });

  it('fits a stored run, and says when there is none', async () => {
    const s = services();
    const protocol = {
      format: 'memristor-workbench/protocol',
      version: 1,
      name: 'train and rest',
      blocks: [
        { kind: 'read' },
        { kind: 'train', count: 60, amplitude: '2 V', width: '20 ms', period: '1 s', read: true },
        { kind: 'wait', duration: '300 s', readEvery: '10 s' },
      ],
    };
    const compiled = compileProtocol(protocol);
    if (!compiled.ok) throw new Error('protocol');
    const device = createDevice({ ...intrinsicGradientPreset, params: truth, variation: { c2c: 0, d2d: 0, read: 0.005 } }, { seed: 3 });
    const run = s.store.runs.create({ experimentName: 'cells', name: 'cell 3', status: 'running', protocol });
    const writer = s.store.openWriter(run.id);
    writer.append(simulateProtocol(compiled.program, device));
    s.store.runs.setStatus(run.id, 'completed');

    const fit = await value<DeviceFitOutcome>(s, 'devices.fit', { model: 'intrinsic-gradient', source: { kind: 'run', runId: run.id } });
    if (!fit.ok) throw new Error(fit.problems.join('; '));
    expect(fit.sourceDescription).toContain('pulse widths from its protocol');
    // 20 ms pulses: were the width taken as 10 ms, k_d would come out √2 too large.
    expect(Math.abs(fit.params.kD! / truth.kD - 1)).toBeLessThan(0.05);

    const missing = await call(s, 'devices.fit', { model: 'ideal', source: { kind: 'run', runId: '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b' } });
    expect(missing.ok || missing.error.code).toBe('not_found');
  });
});
