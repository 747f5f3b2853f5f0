import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { intrinsicGradientPreset } from '../../../shared/device';
import { computePreview } from '../../../renderer/features/protocols/preview-compute';
import { repoRoot } from '../cli/run-cli';
import { runCli, tempDir } from './helpers';

/**
 * The bounds on one protocol (duration, operations, samples) stop `protocol validate`, `simulate`,
 * `run` and the editor's preview alike, before anything runs; and `simulate --json` streams its
 * samples instead of holding them as one document.
 */
const neverEnding = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'never ending',
  blocks: [{ kind: 'repeat', times: 1e12, body: [{ kind: 'wait', duration: '1 s' }] }],
};

function file(doc: unknown): string {
  const f = path.join(tempDir(), 'protocol.json');
  writeFileSync(f, JSON.stringify(doc));
  return f;
}

describe('a protocol that would never end', () => {
  it('is refused by protocol validate, simulate and run, with the block’s path, and leaves no run behind', () => {
    const f = file(neverEnding);
    const validate = runCli(['protocol', 'validate', f]);
    expect(validate.status).toBe(1);
    expect(validate.stderr).toContain('blocks[0]: this repeat block lasts');
    const simulate = runCli(['simulate', '--device', 'ideal', '--protocol', f], { timeoutMs: 60_000 });
    expect(simulate.status).toBe(1);
    expect(simulate.stderr).toContain('blocks[0]: this repeat block lasts');
    const dataDir = tempDir();
    const run = runCli(['run', '--protocol', f, '--device', 'sim:ideal', '--data-dir', dataDir], { timeoutMs: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('this repeat block lasts');
    expect(JSON.parse(runCli(['runs', '--data-dir', dataDir, '--json']).stdout)).toMatchObject({ total: 0 });
  });

  it('is refused by the editor’s preview, with its path', () => {
    const r = computePreview({ seq: 1, document: neverEnding, preset: intrinsicGradientPreset, seed: 1, noise: false });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.path, p.code])).toEqual([['blocks[0]', 'limit']]);
  });
});

describe('simulate --json', () => {
  it('streams half a million reads (about 50 MB of JSON) in a process whose heap could not hold them', { timeout: 120_000 }, () => {
    const dir = tempDir();
    const protocol = file({ format: 'memristor-workbench/protocol', version: 1, name: 'many reads', blocks: [{ kind: 'read', count: 500_000, interval: '1 ms' }] });
    const outFile = path.join(dir, 'out.json');
    const fd = openSync(outFile, 'w');
    // 64 MB of heap: the rows as objects, or the document as one string, would not fit.
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'electron', 'bin', 'workbench.js'), 'simulate', '--device', 'ideal', '--protocol', protocol, '--seed', '3', '--json'], {
      cwd: repoRoot,
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=64' },
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      timeout: 110_000,
    });
    closeSync(fd);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(outFile, 'utf8')) as { sampleCount: number; reads: number; samples: { g: number; kind: string }[]; initialG: number; finalG: number; minG: number };
    expect(doc.sampleCount).toBe(500_000);
    expect(doc.samples).toHaveLength(500_000);
    expect(doc.initialG).toBe(doc.samples[0]!.g);
    expect(doc.finalG).toBe(doc.samples[499_999]!.g);
    let min = Infinity;
    for (const s of doc.samples) min = Math.min(min, s.g);
    expect(doc.minG).toBe(min);
  });
});
