import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deviceResource,
  deviceSpecOf,
  formatResource,
  parseController,
  parseResource,
  withController,
  type GpibController,
  type Resource,
} from '../../../shared/instruments/resource';

/** Device paths as they occur: absolute, no NUL, no surrounding blanks, no '::' (the resource separator), no '@'. */
const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const devicePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
const host = fc.oneof(fc.ipV4(), fc.domain(), fc.ipV6().map((h) => h.toLowerCase()));
const port = fc.integer({ min: 1, max: 65535 });
const controller: fc.Arbitrary<GpibController> = fc.oneof(
  devicePath.map((path) => ({ kind: 'serial' as const, path })),
  fc.record({ host, port }).map(({ host, port }) => ({ kind: 'tcp' as const, host, port })),
);
const resource: fc.Arbitrary<Resource> = fc.oneof(
  devicePath.map((path) => ({ kind: 'serial' as const, path })),
  fc.record({ host, port }).map(({ host, port }) => ({ kind: 'tcp' as const, host, port })),
  devicePath.map((path) => ({ kind: 'usbtmc' as const, path })),
  fc.record({ address: fc.integer({ min: 0, max: 30 }), controller: fc.option(controller, { nil: null }) }).map(({ address, controller }) => ({ kind: 'gpib' as const, address, controller })),
);

describe('resource strings', () => {
  it('parse the forms labs know from VISA, and the command line’s', () => {
    const ok = (text: string) => {
      const r = parseResource(text);
      if (!r.ok) throw new Error(`${text}: ${r.message}`);
      return r.resource;
    };
    expect(ok('ASRL/dev/ttyUSB0::INSTR')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0' });
    expect(ok('/dev/ttyUSB0')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0' });
    expect(ok('serial:/dev/pts/3')).toEqual({ kind: 'serial', path: '/dev/pts/3' });
    expect(ok('TCPIP::192.168.1.20::5025::SOCKET')).toEqual({ kind: 'tcp', host: '192.168.1.20', port: 5025 });
    expect(ok('tcpip0::lab-smu.local::5025::socket')).toEqual({ kind: 'tcp', host: 'lab-smu.local', port: 5025 });
    expect(ok('TCPIP::[fe80::1]::5025::SOCKET')).toEqual({ kind: 'tcp', host: 'fe80::1', port: 5025 });
    expect(ok('tcp:127.0.0.1:40123')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 40123 });
    expect(ok('tcp:smu.lab')).toEqual({ kind: 'tcp', host: 'smu.lab', port: 5025 });
    expect(ok('USB::/dev/usbtmc0')).toEqual({ kind: 'usbtmc', path: '/dev/usbtmc0' });
    expect(ok('USB0::/dev/usbtmc1::INSTR')).toEqual({ kind: 'usbtmc', path: '/dev/usbtmc1' });
    expect(ok('/dev/usbtmc2')).toEqual({ kind: 'usbtmc', path: '/dev/usbtmc2' });
    expect(ok('GPIB::24')).toEqual({ kind: 'gpib', address: 24, controller: null });
    expect(ok('GPIB0::24::INSTR')).toEqual({ kind: 'gpib', address: 24, controller: null });
    expect(ok('GPIB::24@/dev/ttyUSB1')).toEqual({ kind: 'gpib', address: 24, controller: { kind: 'serial', path: '/dev/ttyUSB1' } });
    expect(ok('GPIB::5@10.0.0.9')).toEqual({ kind: 'gpib', address: 5, controller: { kind: 'tcp', host: '10.0.0.9', port: 1234 } });
    expect(ok('gpib:/dev/pts/7:24')).toEqual({ kind: 'gpib', address: 24, controller: { kind: 'serial', path: '/dev/pts/7' } });
    expect(ok('gpib:10.0.0.9:1234:3')).toEqual({ kind: 'gpib', address: 3, controller: { kind: 'tcp', host: '10.0.0.9', port: 1234 } });
  });

  it('refuse what they cannot reach, saying what to write instead', () => {
    const why = (text: string) => {
      const r = parseResource(text);
      if (r.ok) throw new Error(`${text} parsed`);
      return r.message;
    };
    expect(why('')).toMatch(/type where the instrument is/);
    expect(why('COM3')).toMatch(/not an instrument address/);
    expect(why('TCPIP::10.0.0.5::INSTR')).toMatch(/VXI-11.*5025::SOCKET/);
    expect(why('TCPIP::10.0.0.5::99999::SOCKET')).toMatch(/1 to 65535/);
    expect(why('TCPIP::bad host!::5025::SOCKET')).toMatch(/not a host name/);
    expect(why('USB0::0x0957::0x8B18::MY123::INSTR')).toMatch(/usbtmc/);
    expect(why('GPIB::31')).toMatch(/0 to 30/);
    expect(why('GPIB::x')).toMatch(/GPIB::ADDRESS/);
    expect(why('ASRL1::INSTR')).toMatch(/path/);
    expect(why('gpib:24')).toMatch(/gpib:CONTROLLER:ADDRESS/);
    expect(why('tcp:host:0')).toMatch(/1 to 65535/);
  });

  it('never throw, and what they accept is well formed (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('TCPIP::', 'GPIB::', 'USB::', 'ASRL', 'tcp:', 'gpib:', 'serial:').chain((p) => fc.string().map((s) => p + s))), (text) => {
        const r = parseResource(text);
        if (!r.ok) return typeof r.message === 'string' && r.message.length > 0;
        const x = r.resource;
        if (x.kind === 'tcp') return Number.isInteger(x.port) && x.port >= 1 && x.port <= 65535 && x.host.length > 0;
        if (x.kind === 'gpib') return Number.isInteger(x.address) && x.address >= 0 && x.address <= 30;
        return x.path.startsWith('/');
      }),
      { numRuns: 2000 },
    );
  });

  it('format to text that parses back to the same resource (property)', () => {
    fc.assert(
      fc.property(resource, (r) => {
        const parsed = parseResource(formatResource(r));
        expect(parsed).toEqual({ ok: true, resource: r });
      }),
      { numRuns: 1000 },
    );
  });

  it('a run’s device (scheme and port) reads back as the same resource (property)', () => {
    fc.assert(
      fc.property(resource, (r) => {
        const { scheme, port } = deviceSpecOf(r);
        expect(deviceResource(scheme, port)).toEqual({ ok: true, resource: r });
        // The Live page sends the instrument's resource string as a serial port: the same instrument.
        expect(deviceResource('serial', formatResource(r))).toEqual({ ok: true, resource: r });
      }),
      { numRuns: 1000 },
    );
  });

  it('a GPIB resource without its own controller takes the configured one, never overriding its own', () => {
    fc.assert(
      fc.property(resource, controller, (r, c) => {
        const w = withController(r, c);
        if (r.kind === 'gpib' && r.controller === null) expect(w).toEqual({ ...r, controller: c });
        else expect(w).toBe(r);
      }),
    );
    expect(parseController('10.1.2.3')).toEqual({ ok: true, controller: { kind: 'tcp', host: '10.1.2.3', port: 1234 } });
    expect(parseController('TCPIP::10.1.2.3::1234::SOCKET')).toEqual({ ok: true, controller: { kind: 'tcp', host: '10.1.2.3', port: 1234 } });
    expect(parseController('')).toMatchObject({ ok: false });
  });
});
