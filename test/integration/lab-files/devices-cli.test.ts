/**
 * `workbench devices` lists the ids the other commands take, and `stats --chip` takes a chip's name
 * where only one chip has it; a name two chips share, an unknown name or id, and a device "id" that
 * is not one are refused with a sentence that says where the ids are.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/services/store';
import { cliJson, runCli, tempDir } from '../cli-science/helpers';

function archive() {
  const dataDir = tempDir();
  const store = openStore(dataDir, { appVersion: 'test' });
  try {
    const wafer = store.lab.createSample({ name: 'W1', kind: 'wafer', materialStack: 'Pt/HfO2/Ti' });
    const piece = store.lab.createSample({ name: 'P2', kind: 'piece' });
    const x1 = store.lab.createChip({ sampleId: wafer.id, name: 'X1', rows: 2, cols: 2 });
    const twinA = store.lab.createChip({ sampleId: wafer.id, name: 'Twin', rows: 1, cols: 1 });
    const twinB = store.lab.createChip({ sampleId: piece.id, name: 'twin', rows: 1, cols: 1 });
    const d = store.lab.createDevice({ chipId: x1.id, wordLine: 1, bitLine: 0 });
    const gone = store.lab.createDevice({ chipId: x1.id, wordLine: 0, bitLine: 1 });
    store.lab.updateDevice(gone.id, { archived: true });
    return { dataDir, x1: x1.id, twins: [twinA.id, twinB.id], device: d.id, archived: gone.id };
  } finally {
    store.close();
  }
}

describe('workbench devices', () => {
  it('lists samples, chips and devices with their ids; --chip by name; --archived adds the archived', () => {
    const a = archive();
    type Tree = { sample: { name: string }; chips: { chip: { id: string; name: string }; devices: { id: string; wordLine: number; bitLine: number; runs: number }[] }[] }[];
    const all = cliJson<Tree>(['devices', '--data-dir', a.dataDir, '--json']);
    expect(all.result.status, all.result.stderr).toBe(0);
    const x1 = all.doc.flatMap((s) => s.chips).find((c) => c.chip.id === a.x1)!;
    expect(x1.devices.map((d) => [d.id, d.wordLine, d.bitLine, d.runs])).toEqual([[a.device, 1, 0, 0]]);
    expect(all.doc.map((s) => s.sample.name)).toEqual(expect.arrayContaining(['W1', 'P2', 'Virtual devices']));

    const one = cliJson<Tree>(['devices', '--chip', 'x1', '--archived', '--data-dir', a.dataDir, '--json']);
    expect(one.doc).toHaveLength(1);
    expect(one.doc[0]!.chips.map((c) => c.chip.id)).toEqual([a.x1]);
    expect(one.doc[0]!.chips[0]!.devices.map((d) => d.id).sort()).toEqual([a.device, a.archived].sort());

    const text = runCli(['devices', '--chip', a.x1, '--data-dir', a.dataDir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`chip X1  ${a.x1}, 2 × 2 crossbar`);
    expect(text.stdout).toMatch(new RegExp(`${a.device}\\s+WL1/BL0\\s+0 runs`));
  });

  it('stats --chip takes a name one chip has; refuses a shared name, an unknown one and a device that is not an id', () => {
    const a = archive();
    const byName = cliJson<{ devices: number }>(['stats', '--chip', 'X1', '--data-dir', a.dataDir, '--json']);
    expect(byName.result.status, byName.result.stderr).toBe(0);
    expect(byName.doc.devices).toBe(1);
    const byId = cliJson<{ devices: number }>(['stats', '--chip', a.x1, '--data-dir', a.dataDir, '--json']);
    expect(byId.doc).toEqual(byName.doc);

    const refusals: [string[], RegExp][] = [
      [['--chip', 'twin'], new RegExp(`--chip: 2 chips are named "twin" \\((W1/Twin ${a.twins[0]}, P2/twin ${a.twins[1]}|P2/twin ${a.twins[1]}, W1/Twin ${a.twins[0]})\\); give the id`)],
      [['--chip', 'nope'], /--chip: no chip is named "nope" and it is not a chip id \('workbench devices' lists the chips and their ids\)/],
      [['--chip', '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b'], /--chip: no chip has the id 3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b/],
      [['--device', 'WL1/BL0'], /--device: "WL1\/BL0" is not a device id \(a UUID; 'workbench devices' lists them\)/],
    ];
    for (const [args, message] of refusals) {
      const r = runCli(['stats', ...args, '--data-dir', a.dataDir, '--json']);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});
