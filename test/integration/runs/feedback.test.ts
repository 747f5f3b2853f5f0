import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, createDevice } from '../../../shared/device';
import { describeExit, drive } from '../../../shared/protocol';
import { harness, prepared, shipped, sim } from './helpers';

describe('feedback blocks in the run engine (#13)', () => {
  it('a forming run records how the forming ended in its log, in the words and at the voltage of the simulation', async () => {
    const h = harness();
    const protocol = shipped('forming');
    const { runId } = h.engine.submit({ protocol, device: sim(4, bipolarOxidePreset) });
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('completed');
    const expected: string[] = [];
    drive(protocol.program, createDevice(bipolarOxidePreset, { seed: 4, noise: true }), { exit: (note) => expected.push(describeExit(note, protocol.program)) });
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatch(/target reached at V = /);
    const forming = h.store.runs.get(runId).events.filter((e) => e.kind === 'forming');
    expect(forming.map((e) => e.message)).toEqual(expected);
  });

  it('a staircase stops on the current the device measured at each step, where the simulation stops', async () => {
    const h = harness();
    const protocol = prepared({
      format: 'memristor-workbench/protocol',
      version: 1,
      name: 'staircase forming',
      limits: { maxVoltage: '4 V' },
      blocks: [{ kind: 'forming', from: '0.5 V', to: '3.5 V', step: '50 mV', width: '10 ms', compliance: '100 µA', targetCurrent: '100 µA' }],
    });
    const { runId } = h.engine.submit({ protocol, device: sim(2, bipolarOxidePreset) });
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('completed');
    const expected: string[] = [];
    drive(protocol.program, createDevice(bipolarOxidePreset, { seed: 2, noise: true }), { exit: (note) => expected.push(describeExit(note, protocol.program)) });
    expect(expected[0]).toMatch(/target reached at V = 2\.\d+ V \(\|I\| = 100\.0 µA/);
    expect(h.store.runs.get(runId).events.filter((e) => e.kind === 'forming').map((e) => e.message)).toEqual(expected);
    expect(run.sampleCount).toBeLessThan(61);
  });

  it('a target that is never reached: the run completes with "maximum voltage reached without forming" in its log', async () => {
    const h = harness();
    const protocol = prepared({
      format: 'memristor-workbench/protocol',
      version: 1,
      name: 'forming that cannot',
      blocks: [{ kind: 'forming', from: '0.5 V', to: '2 V', step: '0.1 V', width: '1 ms', compliance: '100 µA', targetCurrent: '100 µA' }],
    });
    const { runId } = h.engine.submit({ protocol, device: sim(1, bipolarOxidePreset) });
    const run = await h.engine.whenDone(runId);
    expect(run.status).toBe('completed');
    expect(run.sampleCount).toBe(16);
    const [forming] = h.store.runs.get(runId).events.filter((e) => e.kind === 'forming');
    // The run completed, and its exit reason says what the forming did.
    expect(run.exitReason).toBe(`the protocol finished; ${forming?.message}`);
    expect(forming?.message).toMatch(/^forming \(blocks\[0\]\): maximum voltage 2\.000 V reached without forming \(last \|I\| = .+; target \|I\| ≥ 100\.0 µA\)$/);
  });
});
