/** The runs area of the contract: strict inputs whose problems name the field. */
import { describe, expect, it } from 'vitest';
import { events, requests, zodProblems } from '../../../shared/contract';

function problems(method: keyof typeof requests, input: unknown): string[] {
  const r = requests[method].input.safeParse(input);
  return r.success ? [] : zodProblems(r.error).map((p) => p.path);
}

const id = '123e4567-e89b-42d3-a456-426614174000';
const device = { kind: 'simulated', preset: 'intrinsic-gradient' };

describe('runs contract', () => {
  it('accepts well-formed requests', () => {
    expect(problems('runs.start', { protocol: 'paper-spike-train', device })).toEqual([]);
    expect(problems('runs.start', { protocol: { format: 'x' }, device: { ...device, seed: 'abc', noise: false }, pace: 'realtime', experimentName: 'E', name: 'n', notes: '', tags: ['a'] })).toEqual([]);
    expect(problems('runs.start', { protocol: 'p', device: { kind: 'instrument', port: '/dev/ttyUSB0', driver: 'keithley2400' } })).toEqual([]);
    expect(problems('runs.control', { id, action: 'abort' })).toEqual([]);
    expect(problems('runs.samples', { id, from: 0, to: 10 })).toEqual([]);
    expect(problems('runs.update', { id, tags: [] })).toEqual([]);
    expect(problems('runs.active', {})).toEqual([]);
    expect(problems('experiments.importBundle', { bytes: new Uint8Array(8) })).toEqual([]);
    expect(problems('archive.loadSample', {})).toEqual([]);
  });

  it('names the offending field of a malformed request', () => {
    expect(problems('runs.start', { protocol: 'paper-spike-train' })).toEqual(['device']);
    expect(problems('runs.start', { protocol: '/etc/passwd', device })).toEqual(['protocol']);
    expect(problems('runs.start', { protocol: 'p', device: { ...device, colour: 'red' } })).toEqual(['device.colour']);
    expect(problems('runs.start', { protocol: 'p', device, tags: ['ok', ' '] })).toEqual(['tags[1]']);
    expect(problems('runs.start', { protocol: 'p', device, experimentId: 'nope' })).toEqual(['experimentId']);
    expect(problems('runs.control', { id, action: 'explode' })).toEqual(['action']);
    expect(problems('runs.control', { id: 'x', action: 'stop' })).toEqual(['id']);
    expect(problems('runs.samples', { id, from: -1 })).toEqual(['from']);
    expect(problems('runs.samples', { id, from: 1.5 })).toEqual(['from']);
    expect(problems('runs.export', { id, format: 'xlsx' })).toEqual(['format']);
    expect(problems('runs.active', { sneaky: 1 })).toEqual(['sneaky']);
    expect(problems('experiments.importBundle', { bytes: [1, 2, 3] })).toEqual(['bytes']);
    expect(problems('experiments.importBundle', { bytes: 'AAAA' })).toEqual(['bytes']);
    expect(problems('archive.loadSample', { path: '/etc' })).toEqual(['path']);
  });

  it('checks event payloads: sample columns must be typed arrays of one length', () => {
    const cols = { length: 2, t: new Float64Array(2), v: new Float64Array(2), i: new Float64Array(2), g: new Float64Array(2), kind: new Uint8Array(2), block: new Int32Array(2), compliance: new Uint8Array(2) };
    expect(events['run.samples'].safeParse({ runId: id, from: 0, columns: cols }).success).toBe(true);
    expect(events['run.samples'].safeParse({ runId: id, from: 0, columns: { ...cols, g: [0, 0] } }).success).toBe(false);
    expect(events['run.samples'].safeParse({ runId: id, from: 0, columns: { ...cols, length: 3 } }).success).toBe(false);
    const progress = { done: 1, total: 2, fraction: 0.5, etaS: null, exact: true, protocolTime: 0, duration: 1 };
    expect(events['run.state'].safeParse({ runId: id, status: 'running', progress, message: null }).success).toBe(true);
    expect(events['run.state'].safeParse({ runId: id, status: 'exploded', progress, message: null }).success).toBe(false);
  });
});
