/** Small pieces of the run engine: protocol hashing, time stamps with offsets, file names, the --device syntax. */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, exportFilename, isoWithOffset, parseDeviceArg, protocolHash } from '../../../electron/services/runs';

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('protocol hashes', () => {
  it('do not depend on key order or spacing, and do depend on every value', () => {
    const a = { name: 'x', blocks: [{ kind: 'pulse', amplitude: '2 V', width: '10 ms' }], version: 1 };
    const b = JSON.parse('{ "version": 1,\n "blocks": [ { "width": "10 ms", "amplitude": "2 V", "kind": "pulse" } ], "name": "x" }') as unknown;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(protocolHash(a)).toBe(protocolHash(b));
    expect(protocolHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(protocolHash({ ...a, name: 'y' })).not.toBe(protocolHash(a));
    expect(canonicalJson({ b: [1, 'two', null, { d: true, c: false }], a: undefined })).toBe('{"b":[1,"two",null,{"c":false,"d":true}]}');
  });
});

describe('export time stamps', () => {
  it('are ISO-8601 with the local time zone offset, and mean the same instant', () => {
    for (const [tz, date, expected] of [
      ['UTC', '2025-01-15T12:00:00.000Z', '2025-01-15T12:00:00.000+00:00'],
      ['Europe/Berlin', '2025-01-15T12:00:00.000Z', '2025-01-15T13:00:00.000+01:00'],
      ['Europe/Berlin', '2025-07-15T12:00:00.000Z', '2025-07-15T14:00:00.000+02:00'],
      ['America/New_York', '2025-01-15T03:30:00.250Z', '2025-01-14T22:30:00.250-05:00'],
      ['Asia/Kolkata', '2025-01-15T12:00:00.000Z', '2025-01-15T17:30:00.000+05:30'],
    ] as const) {
      process.env.TZ = tz;
      const got = isoWithOffset(date);
      expect(got, tz).toBe(expected);
      expect(new Date(got).getTime()).toBe(new Date(date).getTime());
    }
    expect(isoWithOffset(null)).toBe('');
  });
});

describe('export file names', () => {
  it('are the run name made safe, and the start of the id', () => {
    expect(exportFilename({ name: 'Paper spike train, seed 1', id: '0c9a7e52-1b3d-4f60-8a2e-5d4c3b2a1f01' }, 'csv')).toBe('paper-spike-train-seed-1-0c9a7e52.csv');
    expect(exportFilename({ name: '../../etc/passwd', id: 'abcdef01-0000-4000-8000-000000000000' }, 'json')).toBe('etcpasswd-abcdef01.json');
    expect(exportFilename({ name: 'ΔG µS', id: 'abcdef01-0000-4000-8000-000000000000' }, 'csv')).toBe('g-s-abcdef01.csv');
    expect(exportFilename({ name: '***', id: 'abcdef01-0000-4000-8000-000000000000' }, 'csv')).toBe('run-abcdef01.csv');
  });
});

describe('the --device syntax', () => {
  it('reads sim:PRESET and SCHEME:PATH', () => {
    expect(parseDeviceArg('sim:intrinsic-gradient')).toEqual({ kind: 'simulated', preset: 'intrinsic-gradient' });
    expect(parseDeviceArg('sim:./my preset.json')).toEqual({ kind: 'simulated', preset: './my preset.json' });
    expect(parseDeviceArg('serial:/dev/ttyUSB0')).toEqual({ kind: 'instrument', scheme: 'serial', port: '/dev/ttyUSB0' });
    expect(parseDeviceArg('serial:COM3')).toEqual({ kind: 'instrument', scheme: 'serial', port: 'COM3' });
    for (const bad of ['intrinsic-gradient', 'sim:', ':x', 'Serial Port:x']) expect(() => parseDeviceArg(bad), bad).toThrow(/sim:PRESET or serial:PATH/);
  });
});
