/**
 * An instrument that goes quiet mid-run (the emulator's --drop-after: it takes commands and answers
 * none) is the same event for the person at the bench as a port that vanished: the run ends
 * 'interrupted', its samples kept, and the output off is still attempted — sent to the instrument.
 * A real emulator on a pseudo-terminal (socat), driven through the workbench's own services.
 */
import { describe, expect, it } from 'vitest';
import { openAppServices } from '../../../electron/app/app-services';
import { startEmulator } from '../../../electron/services/instruments/emulator/index';
import { onCleanup, prepared, readsDoc, tempDir } from './helpers';

describe('a quiet instrument', () => {
  it('ends the run interrupted, like a vanished port, with the output off sent', { timeout: 60_000 }, async () => {
    // Answers the handshake and some reads, then nothing; the line stays open.
    const emu = await startEmulator({ driver: 'keithley2400', seed: 9, dropAfter: 60, time: 'wall' });
    onCleanup(() => emu.stop());
    // Closed before the emulator stops (cleanups run last first), as at the bench: the app, then the instrument.
    const s = openAppServices({ dataDir: tempDir(), hostKind: 'cli' });
    onCleanup(() => s.close());
    s.instruments.configure({ path: emu.path, driver: 'keithley2400', settings: { timeoutMs: 300 } });
    expect((await s.instruments.connect()).state).toBe('connected');

    const { runId } = s.runs.submit({ protocol: prepared(readsDoc(500, '10 ms')), device: { kind: 'instrument', scheme: 'serial', port: emu.path, driver: 'keithley2400', settings: {} } });
    const run = await s.runs.whenDone(runId);

    expect(run.status).toBe('interrupted');
    expect(run.exitReason).toMatch(/no reply to '[^']+' within 300 ms/);
    expect(run.sampleCount).toBeGreaterThan(0);
    // Output off was attempted after the instrument went quiet: the emulator received it.
    const firstUnanswered = emu.exchanges.findIndex((e) => e.sent === null);
    expect(firstUnanswered).toBeGreaterThan(0);
    expect(emu.exchanges.slice(firstUnanswered).map((e) => e.command)).toContain(':OUTP OFF');
    // Recorded as an interruption in the run's own log and in the workbench's.
    expect(run.events.map((l) => l.kind)).toContain('interrupted');
    expect(s.logs.tail({ search: runId, minLevel: 'warn' }).entries.map((e) => e.message)).toContainEqual(expect.stringMatching(new RegExp(`^run ${runId} interrupted: `)));
  });
});
