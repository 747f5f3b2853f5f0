import { describe, expect, it } from 'vitest';
import { Job } from '../../../electron/services/runs/job';
import { prepareProtocol } from '../../../electron/services/runs';
import { realTimers } from '../../../electron/services/clock';

// #19: "50 % · ETA 5 min" four seconds into a five-minute run. 100 spikes in the first 10 s, then
// 290 s of reads every 10 s: a realtime run's progress must follow its time, not its samples.
const doc = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'spikes then relaxation',
  blocks: [
    { kind: 'train', count: 100, amplitude: '2 V', width: '10 ms', period: '100 ms' },
    { kind: 'read', count: 29, interval: '10 s' },
  ],
};

function job(pace: 'fast' | 'realtime'): Job {
  const p = prepareProtocol(doc);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return new Job({ id: 'j', name: 'j', experimentId: 'e', experimentName: 'E', pace, protocol: p.protocol, spec: { kind: 'simulated', preset: {} as never, seed: 1, noise: false }, timers: realTimers });
}

describe('run progress', () => {
  it('a realtime run reports the fraction of its duration, and the ETA from it', () => {
    const j = job('realtime');
    j.status = 'running';
    j.done = 100;
    j.protocolTime = 10;
    const p = j.progress(10);
    expect(p.duration).toBeGreaterThan(290);
    expect(p.fraction).toBeCloseTo(10 / p.duration, 6);
    expect(p.fraction).toBeLessThan(0.05);
    expect(p.etaS).toBeCloseTo(p.duration - 10, 6);
  });

  it('a fast run reports the fraction of its operations; an ended run keeps where it stopped', () => {
    const j = job('fast');
    j.status = 'running';
    j.done = 100;
    expect(j.progress(0).fraction).toBeCloseTo(100 / 129, 6);
    const r = job('realtime');
    r.status = 'stopped';
    r.done = 50;
    r.protocolTime = 5;
    expect(r.progress(0).fraction).toBeCloseTo(50 / 129, 6);
  });
});
