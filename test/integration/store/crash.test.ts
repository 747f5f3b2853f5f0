/**
 * Survives a killed process: a child writes samples through the store and is SIGKILLed mid-run.
 * The next open marks its active runs 'interrupted' and every committed sample is still there.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, INTERRUPTED_EXIT_REASON } from '../../../electron/services/store/index';
import { open, plain, samples, tempDir } from './helpers';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-writer.ts');

interface ChildReport {
  running: string;
  paused: string;
  committed: number;
  pending: number;
}

/** Runs the fixture until it reports, then SIGKILLs it. */
function runAndKill(dir: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let report: ChildReport | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the crash fixture did not report in time; stderr: ${err}`));
    }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0 && report === undefined) {
        report = JSON.parse(out.slice(0, nl)) as ChildReport;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (report && signal === 'SIGKILL') resolve(report);
      else reject(new Error(`the crash fixture ended without being killed (signal ${signal}); stderr: ${err}`));
    });
  });
}

describe('a killed process', () => {
  it('leaves its active runs to be marked interrupted at the next open, committed samples intact', async () => {
    const dir = tempDir();
    const report = await runAndKill(dir);
    expect(report.committed).toBe(58_192);
    expect(report.pending).toBe(1_808);
    // The child died with its data still in the write-ahead log.
    expect(fs.existsSync(path.join(dir, `${DATABASE_FILE_NAME}-wal`))).toBe(true);

    const store = open(dir);
    expect(store.interruptedAtOpen).toBe(2);
    const running = store.runs.get(report.running);
    const paused = store.runs.get(report.paused);
    for (const r of [running, paused]) {
      expect(r.status).toBe('interrupted');
      expect(r.exitReason).toBe(INTERRUPTED_EXIT_REASON);
      expect(r.endedAt).not.toBeNull();
    }
    expect(running.sampleCount).toBe(58_192);
    expect(paused.sampleCount).toBe(3_000);
    expect(plain(store.readSamples(report.running))).toEqual(plain(samples(58_192)));
    expect(plain(store.readSamples(report.paused))).toEqual(plain(samples(3_000)));
    expect(running.finalG).toBe(samples(58_192).g[58_191]);

    // Marked once: a second open finds nothing more to mark.
    store.close();
    expect(open(dir).interruptedAtOpen).toBe(0);
  });
});
