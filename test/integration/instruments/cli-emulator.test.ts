import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentDevice } from '../../../electron/services/instruments/index';
import { connect, killQuietly, onCleanup, repoRoot, sleep, tempDir } from './helpers';

/** `workbench emulator` as a user runs it: a separate process, stopped by a signal or killed. */
const bin = path.join(repoRoot, 'electron', 'bin', 'workbench.js');

interface Started {
  child: ChildProcessWithoutNullStreams;
  info: { path: string; resource: string; pty: string; driver: string; socatPid: number };
  exit: Promise<number | null>;
  stderr: () => string;
}

async function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [bin, 'emulator', '--json', ...args], { cwd: repoRoot });
  const socat: { pid?: number; dir?: string } = {};
  onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    killQuietly(socat.pid);
    // A killed emulator cannot remove its private link folder; the test does.
    if (socat.dir) rmSync(socat.dir, { recursive: true, force: true });
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    void exit.then((code) => reject(new Error(`workbench emulator exited with ${code}: ${err}`)));
  });
  const info = JSON.parse(line) as Started['info'];
  socat.pid = info.socatPid;
  if (path.basename(path.dirname(info.path)).startsWith('wb-pty-')) socat.dir = path.dirname(info.path);
  return { child, info, exit, stderr: () => err };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0; its state says it is dead.
  const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
};

async function waitFor(probe: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > timeoutMs) return false;
    await sleep(20);
  }
  return true;
}

describe('workbench emulator', () => {
  it('answers on the --link path and shuts down cleanly on SIGTERM (socat killed, link removed)', async () => {
    const link = path.join(tempDir(), 'smu');
    const cli = await startCli(['--driver', 'keithley2600', '--link', link, '--seed', '3']);
    expect(cli.info).toMatchObject({ path: link, driver: 'keithley2600' });
    expect(cli.info.pty).toMatch(/^\/dev\/pts\/\d+$/);
    const inst = await connect({ path: link, driver: 'keithley2600' });
    const device = instrumentDevice(inst);
    const r = await device.read(0.1);
    expect(r.conductance).toBeGreaterThan(5e-6);
    expect(r.conductance).toBeLessThan(2e-5);
    await device.close();
    expect(alive(cli.info.socatPid)).toBe(true);
    cli.child.kill('SIGTERM');
    await expect(cli.exit).resolves.toBe(0);
    expect(await waitFor(() => !alive(cli.info.socatPid))).toBe(true);
    expect(existsSync(link)).toBe(false);
  });

  it('killed outright mid-run: the client gets "the port closed" at once, no hang', async () => {
    const cli = await startCli(['--driver', 'keithley2400']);
    const inst = await connect({ path: cli.info.path, driver: 'keithley2400' });
    const device = instrumentDevice(inst);
    await device.pulse(2, 0.01);
    await device.read(0.1);
    cli.child.kill('SIGKILL');
    await cli.exit;
    let error: unknown = null;
    for (let k = 0; k < 50 && error === null; k++) {
      error = await device.read(0.1).then(
        () => null,
        (e: unknown) => e,
      );
    }
    // Noticed as a closed port, not waited out as a missing reply (that would be kind 'timeout').
    expect(error).toMatchObject({ kind: 'port-closed' });
    expect((error as Error).message).toMatch(/the port closed/);
    expect(inst.safetyEvents.some((e) => !e.ok)).toBe(true);
    // socat did not outlive the emulator (parent-death signal).
    expect(await waitFor(() => !alive(cli.info.socatPid))).toBe(true);
  });

  it('applies the fault switches: --garble, --delay, --drop-after', async () => {
    const [garbled, delayed, dropping] = await Promise.all([
      startCli(['--driver', 'pulse-board', '--garble', '1']),
      startCli(['--driver', 'pulse-board', '--delay', '400']),
      startCli(['--driver', 'pulse-board', '--drop-after', '1']),
    ]);
    const attempt = (p: string) =>
      connect({ path: p, driver: 'pulse-board', serial: { identifyTimeoutMs: 250, timeoutMs: 250 } }).then(
        () => null,
        (e: unknown) => e,
      );
    // Every reply corrupted: refused at identification, or at the first reply that must parse
    // (line noise in the free-text part of an identity cannot be told from a real name).
    const noise = (await attempt(garbled.info.path)) as { kind: string; message: string };
    expect(['identify', 'protocol']).toContain(noise.kind);
    expect(noise.message).toMatch(/, got '.*'$|^garbled reply to /);
    // Every reply 400 ms late: too slow for a 250 ms timeout.
    expect(await attempt(delayed.info.path)).toMatchObject({ kind: 'identify', message: expect.stringMatching(/^no reply to \*IDN\? within 250 ms/) });
    // Answers the identification (command 1), then falls silent during configuration.
    expect(await attempt(dropping.info.path)).toMatchObject({ kind: 'timeout', command: 'OFF' });
    for (const cli of [garbled, delayed, dropping]) cli.child.kill('SIGTERM');
    await expect(Promise.all([garbled.exit, delayed.exit, dropping.exit])).resolves.toEqual([0, 0, 0]);
  });

  it('--listen answers on a loopback TCP port and says where (listening on 127.0.0.1:PORT)', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--driver', 'keithley2450', '--listen', '127.0.0.1:0', '--seed', '2'], { cwd: repoRoot });
    onCleanup(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const first = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) resolve(out.slice(0, nl));
      });
    });
    const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(first);
    expect(m).not.toBeNull();
    const inst = await connect({ path: `tcp:127.0.0.1:${m![1]}` });
    expect(inst.driver).toBe('keithley2450');
    expect(inst.idn).toMatch(/^KEITHLEY INSTRUMENTS,MODEL 2450,VIRTUAL-/);
    await expect(instrumentDevice(inst).read(0.1)).resolves.toMatchObject({ conductance: expect.any(Number) });
    await inst.close();
    child.kill('SIGTERM');
    await expect(exit).resolves.toBe(0);
  });

  it('--prologix answers behind an emulated Prologix GPIB-USB at --gpib-address on the --link pty', async () => {
    const link = path.join(tempDir(), 'gpib-usb');
    const cli = await startCli(['--driver', 'keysight-b2900', '--prologix', '--gpib-address', '24', '--link', link]);
    expect(cli.info).toMatchObject({ path: link, resource: `GPIB::24@${link}` });
    const inst = await connect({ path: `gpib:${link}:24` });
    expect(inst.driver).toBe('keysight-b2900');
    await expect(instrumentDevice(inst).pulse(2, 0.001)).resolves.toMatchObject({ current: expect.any(Number) });
    await inst.close();
    cli.child.kill('SIGTERM');
    await expect(cli.exit).resolves.toBe(0);
  });

  it('rejects bad options with a usage error', { timeout: 120_000 }, () => {
    for (const args of [
      ['--driver', 'keithley2450', '--listen', 'nowhere'],
      ['--driver', 'keithley2450', '--listen', '127.0.0.1:99999'],
      ['--driver', 'keithley2450', '--listen', '127.0.0.1:0', '--link', '/tmp/x'],
      ['--driver', 'keithley2450', '--gpib-address', '5'],
      ['--driver', 'keithley2450', '--prologix', '--gpib-address', '31'],
    ]) {
      const r = spawnSync(process.execPath, [bin, 'emulator', ...args], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--listen|--gpib-address|--link/);
    }
    const missing = spawnSync(process.execPath, [bin, 'emulator'], { cwd: repoRoot, encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--driver is required/);
    const badDriver = spawnSync(process.execPath, [bin, 'emulator', '--driver', 'keithley2000'], { cwd: repoRoot, encoding: 'utf8' });
    expect(badDriver.status).toBe(2);
    const badGarble = spawnSync(process.execPath, [bin, 'emulator', '--driver', 'pulse-board', '--garble', '2'], { cwd: repoRoot, encoding: 'utf8' });
    expect(badGarble.status).toBe(2);
    expect(badGarble.stderr).toMatch(/--garble is a fraction of replies, from 0 to 1; got 2/);
    const badPreset = spawnSync(process.execPath, [bin, 'emulator', '--driver', 'pulse-board', '--device', 'nope'], { cwd: repoRoot, encoding: 'utf8' });
    expect(badPreset.status).toBe(1);
    expect(badPreset.stderr).toMatch(/unknown device preset 'nope'/);
  });
});
