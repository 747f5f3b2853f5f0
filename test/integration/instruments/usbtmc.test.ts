/**
 * The usbtmc link's refusals. A usbtmc device this user may not write (the udev rule is missing)
 * is refused with what to do: tested with a real permission denial — a root-only file opened by
 * an unprivileged process (setpriv drops root here; a non-root runner simply meets the mode).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTransport, DEFAULT_SERIAL_SETTINGS } from '../../../electron/services/instruments/index';
import { repoRoot, tempDir } from './helpers';

const script = path.join(import.meta.dirname, 'open-usbtmc.ts');

function openAsUnprivileged(device: string): { opened: boolean; kind?: string; message?: string } {
  const node = [process.execPath, '--import', 'tsx', script, device];
  const asRoot = process.getuid?.() === 0;
  if (asRoot && !existsSync('/usr/bin/setpriv')) throw new Error('running as root without /usr/bin/setpriv: cannot open the device as an unprivileged user');
  const r = asRoot ? spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...node], { cwd: repoRoot, encoding: 'utf8' }) : spawnSync(node[0]!, node.slice(1), { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the opener failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { opened: boolean; kind?: string; message?: string };
}

describe('usbtmc link', () => {
  it('a device this user cannot write is refused, naming the udev rule to add', { timeout: 60_000 }, () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const device = path.join(dir, 'usbtmc0');
    writeFileSync(device, '');
    chmodSync(device, process.getuid?.() === 0 ? 0o600 : 0o000);
    const outcome = openAsUnprivileged(device);
    expect(outcome).toMatchObject({ opened: false, kind: 'open-failed' });
    expect(outcome.message).toMatch(new RegExp(`^could not open ${device}: permission denied — ${device} is not writable by this user`));
    expect(outcome.message).toMatch(/SUBSYSTEM=="usbmisc", KERNEL=="usbtmc\[0-9\]\*"/);
    expect(outcome.message).toMatch(/Help: USB-TMC/);
  });

  it('a device that is not there is refused, saying what to check', async () => {
    await expect(openTransport({ kind: 'usbtmc', path: '/dev/usbtmc-not-here-7' }, { settings: DEFAULT_SERIAL_SETTINGS })).rejects.toMatchObject({
      kind: 'open-failed',
      message: expect.stringMatching(/does not exist \(is the instrument plugged in and switched on, and the usbtmc kernel module loaded\?\)/),
    });
  });
});
