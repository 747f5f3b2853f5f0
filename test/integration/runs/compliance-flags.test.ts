/**
 * A simulated run of an I–V sweep through the run engine records, with each sample, whether the
 * step was in compliance — exactly where `simulateProtocol` (what `workbench simulate` prints) has
 * it — and the store, the CSV and the JSON export carry the flag.
 */
import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, createDevice } from '../../../shared/device';
import { simulateProtocol } from '../../../shared/protocol';
import { runToJson, runToTidyCsv } from '../../../electron/services/runs';
import { harness, shipped, sim } from './helpers';

describe('compliance flags of a simulated sweep', () => {
  it('the engine stores them where the simulation has them, and the exports carry them', async () => {
    const h = harness();
    const protocol = shipped('iv-hysteresis');
    const { runId } = h.engine.submit({ protocol, device: sim(5, bipolarOxidePreset) });
    const done = await h.engine.whenDone(runId);
    expect(done.status).toBe('completed');
    const stored = h.store.readSamples(runId);
    const reference = simulateProtocol(protocol.program, createDevice(bipolarOxidePreset, { seed: 5, noise: true }));
    expect(stored.length).toBe(reference.length);
    expect([...stored.compliance]).toEqual([...reference.compliance]);
    const flagged = stored.compliance.reduce((n, x) => n + x, 0);
    expect(flagged).toBeGreaterThan(10);

    const detail = h.store.runs.get(runId);
    const csv = runToTidyCsv(detail, stored).csv.trim().split('\n');
    expect(csv[0]!.split(',').at(-1)).toBe('compliance');
    expect(csv.slice(1).filter((l) => l.endsWith(',1')).length).toBe(flagged);
    const json = JSON.parse(runToJson(detail, stored)) as { samples: { compliance: boolean[] } };
    expect(json.samples.compliance.filter(Boolean).length).toBe(flagged);
  });
});
