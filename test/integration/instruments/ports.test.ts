import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeTypedPath, listPorts, portIdentity, PortPoller, type PortChange } from '../../../electron/services/instruments/index';
import { InstrumentManager } from '../../../electron/services/instruments/manager';
import { emulator, onCleanup, sleep, tempDir } from './helpers';

/** A fake /dev with some serial devices, and the kernel's view of which ttyS have a UART. */
function fakeDev(): { devDir: string; sysTtyDir: string } {
  const root = tempDir();
  const devDir = path.join(root, 'dev');
  const sysTtyDir = path.join(root, 'sys');
  mkdirSync(devDir);
  for (const name of ['ttyUSB0', 'ttyACM1', 'ttyS3', 'ttyS4', 'tty0', 'null', 'ttyUSBx']) writeFileSync(path.join(devDir, name), '');
  for (const [name, type] of [
    ['ttyS3', '0'],
    ['ttyS4', '4'],
  ]) {
    mkdirSync(path.join(sysTtyDir, name!), { recursive: true });
    writeFileSync(path.join(sysTtyDir, name!, 'type'), `${type}\n`);
  }
  return { devDir, sysTtyDir };
}

describe('port listing', () => {
  it('shows friendly names, VID:PID and serial numbers from the system enumeration', async () => {
    const { devDir, sysTtyDir } = fakeDev();
    const { ports, warning } = await listPorts({
      devDir,
      sysTtyDir,
      enumerate: async () => [
        { path: '/dev/ttyUSB7', manufacturer: 'FTDI', vendorId: '0403', productId: '6001', serialNumber: 'A10K3XYZ', pnpId: 'usb-FTDI_FT232R-if00' },
        { path: '/dev/ttyACM2', pnpId: 'usb-Arduino_Uno-if00', vendorId: '2341', productId: '0043' },
      ],
    });
    expect(warning).toBeUndefined();
    expect(ports).toEqual([
      expect.objectContaining({ path: '/dev/ttyACM2', friendlyName: 'usb-Arduino_Uno-if00', vidPid: '2341:0043', source: 'enumerated' }),
      expect.objectContaining({ path: '/dev/ttyUSB7', friendlyName: 'FTDI', vidPid: '0403:6001', serialNumber: 'A10K3XYZ', source: 'enumerated' }),
    ]);
    // Enumeration was useful, so /dev was not scanned.
    expect(ports.some((p) => p.source === 'scanned')).toBe(false);
    expect(portIdentity(ports[1]!)).toBe('0403:6001:A10K3XYZ');
  });

  it('falls back to scanning /dev when enumeration fails, keeping only real serial devices', async () => {
    const { devDir, sysTtyDir } = fakeDev();
    const { ports, warning } = await listPorts({
      devDir,
      sysTtyDir,
      enumerate: async () => {
        // What serialport's Linux listing throws where udev is not installed.
        throw Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT', syscall: 'spawn udevadm', path: 'udevadm' });
      },
    });
    // A plain note, no raw errno text.
    expect(warning).toBe(
      `this system has no udevadm (the udev tool the serial-port listing asks for names, VID:PID and serial numbers), so the serial devices found in ${devDir} are listed without names or serial numbers (a path can also be typed)`,
    );
    expect(warning).not.toMatch(/ENOENT|spawn/);
    expect(ports.map((p) => path.basename(p.path))).toEqual(['ttyACM1', 'ttyS4', 'ttyUSB0']);
    expect(ports.every((p) => p.source === 'scanned')).toBe(true);
  });

  it('falls back too when enumeration hangs or returns nothing useful, without duplicates', async () => {
    const { devDir, sysTtyDir } = fakeDev();
    const hung = await listPorts({ devDir, sysTtyDir, enumerateTimeoutMs: 100, enumerate: () => new Promise(() => undefined) });
    expect(hung.warning).toMatch(/no answer within 100 ms/);
    expect(hung.ports).toHaveLength(3);
    const bare = await listPorts({ devDir, sysTtyDir, enumerate: async () => [{ path: path.join(devDir, 'ttyS4') }] });
    expect(bare.warning).toMatch(/gave no details/);
    expect(bare.ports.map((p) => [path.basename(p.path), p.source])).toEqual([
      ['ttyS4', 'enumerated'],
      ['ttyACM1', 'scanned'],
      ['ttyUSB0', 'scanned'],
    ]);
  });

  it('lists the usbtmc devices in /dev as USB::/dev/usbtmcN, named from sysfs, saying which this user cannot open', async () => {
    const { devDir, sysTtyDir } = fakeDev();
    const sys = path.join(tempDir(), 'usbmisc');
    for (const name of ['usbtmc0', 'usbtmc1']) writeFileSync(path.join(devDir, name), '');
    const usb = path.join(sys, 'usbtmc0', 'device', '..');
    mkdirSync(path.join(sys, 'usbtmc0', 'device'), { recursive: true });
    for (const [file, text] of [
      ['manufacturer', 'Keysight Technologies'],
      ['product', 'B2901A'],
      ['idVendor', '0957'],
      ['idProduct', '8B18'],
      ['serial', 'MY51140123'],
    ] as const) writeFileSync(path.join(usb, file), `${text}\n`);
    const { ports } = await listPorts({ devDir, sysTtyDir, sysUsbmiscDir: sys, enumerate: async () => [] });
    const tmc = ports.filter((p) => p.kind === 'usbtmc');
    expect(tmc.map((p) => [p.path, p.source, p.friendlyName, p.vidPid ?? null, p.serialNumber ?? null])).toEqual([
      [`USB::${devDir}/usbtmc0`, 'usbtmc', 'Keysight Technologies B2901A', '0957:8b18', 'MY51140123'],
      [`USB::${devDir}/usbtmc1`, 'usbtmc', 'USB-TMC instrument (usbtmc1)', null, null],
    ]);
    expect(tmc.every((p) => typeof p.accessible === 'boolean')).toBe(true);
  });

  it('lists this machine’s ports with the real enumeration, without failing', async () => {
    const listing = await listPorts();
    expect(Array.isArray(listing.ports)).toBe(true);
    for (const p of listing.ports) expect(p.path).toMatch(/^\//);
  });

  it('lists the virtual instruments a manager started as virtual:<driver> with their pty; another manager sees none of them', async () => {
    const manager = new InstrumentManager({ list: async () => ({ ports: [] }) });
    const other = new InstrumentManager({ list: async () => ({ ports: [] }) });
    onCleanup(() => manager.close());
    onCleanup(() => other.close());
    const first = await manager.startVirtual({ driver: 'keithley2400' });
    const second = await manager.startVirtual({ driver: 'keithley2400' });
    const board = await manager.startVirtual({ driver: 'pulse-board' });
    const { ports } = await manager.ports(true);
    const virtual = ports.filter((p) => p.source === 'virtual');
    expect(virtual.map((p) => p.virtual!.id).sort()).toEqual(['virtual:keithley2400', 'virtual:keithley2400-2', 'virtual:pulse-board']);
    const k = virtual.find((p) => p.virtual!.id === 'virtual:keithley2400')!;
    expect(k.path).toBe(first.path);
    expect(k.virtual!.pty).toMatch(/^\/dev\/pts\/\d+$/);
    // Per manager, not per process: the other one lists nothing and numbers its own from 1.
    expect((await other.ports(true)).ports).toEqual([]);
    expect((await other.startVirtual({ driver: 'keithley2400' })).id).toBe('virtual:keithley2400');
    await manager.stopVirtual(second.id);
    await manager.stopVirtual(board.id);
    const after = await manager.ports(true);
    expect(after.ports.filter((p) => p.source === 'virtual').map((p) => p.virtual!.id)).toEqual(['virtual:keithley2400']);
  });

  it('describes a typed path: a pty opens, a missing path or a plain file is explained', async () => {
    const emu = await emulator({ driver: 'pulse-board', time: 'simulated' });
    expect(describeTypedPath(emu.path)).toMatchObject({ ok: true, port: { path: emu.path, source: 'typed', accessible: true } });
    expect(describeTypedPath('/dev/ttyUSB99-nope')).toEqual({ ok: false, message: '/dev/ttyUSB99-nope does not exist' });
    const file = path.join(tempDir(), 'notes.txt');
    writeFileSync(file, 'x');
    expect(describeTypedPath(file)).toEqual({ ok: false, message: `${file} is not a serial device (not a character device)` });
    expect(describeTypedPath('  ')).toMatchObject({ ok: false });
  });
});

describe('PortPoller', () => {
  it('reports a virtual instrument appearing and disappearing', async () => {
    const changes: PortChange[] = [];
    const manager = new InstrumentManager({ list: async () => ({ ports: [] }) });
    onCleanup(() => manager.close());
    const poller = new PortPoller({ intervalMs: 30, list: () => listPorts({ enumerate: async () => [], virtual: () => manager.virtual.ports() }), onChange: (c) => changes.push(c) });
    await poller.start();
    try {
      changes.length = 0;
      const v = await manager.startVirtual({ driver: 'keithley2600' });
      const added = await until(() => changes.find((c) => c.added.some((p) => p.path === v.path)));
      expect(added.added.find((p) => p.path === v.path)!.virtual!.id).toBe('virtual:keithley2600');
      await manager.stopVirtual(v.id);
      const removed = await until(() => changes.find((c) => c.removed.some((p) => p.path === v.path)));
      expect(removed.ports.some((p) => p.path === v.path)).toBe(false);
    } finally {
      poller.stop();
    }
  });

  it('reports plugging and unplugging by diffing successive lists', async () => {
    let current = [{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'A' }];
    const changes: PortChange[] = [];
    const poller = new PortPoller({ intervalMs: 20, list: () => listPorts({ enumerate: async () => current }), onChange: (c) => changes.push(c) });
    const first = await poller.start();
    try {
      expect(first.ports).toHaveLength(1);
      expect(changes).toHaveLength(1);
      current = [...current, { path: '/dev/ttyACM0', vendorId: '2341', productId: '0043', serialNumber: 'B' }];
      const plugged = await until(() => changes[1]);
      expect(plugged.added.map((p) => p.path)).toEqual(['/dev/ttyACM0']);
      expect(plugged.removed).toEqual([]);
      // The same path with another adapter behind it is a different device.
      current = [{ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', serialNumber: 'C' }];
      const swapped = await until(() => changes[2]);
      expect(swapped.added.map((p) => p.vidPid)).toEqual(['1a86:7523']);
      expect(swapped.removed.map((p) => p.path).sort()).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0']);
      await sleep(80);
      expect(changes).toHaveLength(3);
    } finally {
      poller.stop();
    }
  });
});

async function until<T>(probe: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(10);
  }
}
