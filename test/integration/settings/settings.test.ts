import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/contract/areas/settings';
import { DEFAULT_LIMITS, validateProtocol } from '../../../shared/protocol';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';

const dirs: string[] = [];
const open: AppServices[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-settings-'));
  dirs.push(d);
  return d;
}

function services(dataDir = tempDir(), extra: { openPath?: (p: string) => Promise<string> } = {}): AppServices {
  const s = openAppServices({ dataDir, hostKind: 'web', ...extra });
  open.push(s);
  return s;
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function rows(file: string): { key: string; value: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[];
  } finally {
    db.close();
  }
}

const spikeTrain = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/protocols/paper-spike-train.json'), 'utf8')) as unknown;

describe('settings', () => {
  it('start as the defaults, and a partial update (part of an object key) answers the whole settings and persists', async () => {
    const dir = tempDir();
    const s = services(dir);
    expect(await s.router.call('settings.get', {})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    const r = await s.router.call('settings.update', { limits: { maxVoltage: 3 }, autoReconnect: true });
    expect(r).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, limits: { ...DEFAULT_LIMITS, maxVoltage: 3 }, autoReconnect: true } });
    expect(rows(s.store.file).map((x) => x.key)).toEqual(['autoReconnect', 'limits']);
    await s.close();

    const again = services(dir);
    expect((await again.router.call('settings.get', {})).ok && again.settings.get().limits.maxVoltage).toBe(3);
    expect(again.settings.get().autoReconnect).toBe(true);
  });

  it('settings.currentLimits() is the ceiling others pass to validateProtocol: a lowered max |V| refuses a protocol the defaults accept', async () => {
    const s = services();
    expect(s.settings.currentLimits()).toEqual(DEFAULT_LIMITS);
    expect(validateProtocol(spikeTrain, { limits: s.settings.currentLimits() }).ok).toBe(true);
    await s.router.call('settings.update', { limits: { maxVoltage: 1.5 } });
    expect(s.settings.currentLimits().maxVoltage).toBe(1.5);
    const refused = validateProtocol(spikeTrain, { limits: s.settings.currentLimits() });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused.problems)).toContain('1.5 V');
    expect(s.settings.get().limits.maxVoltage).toBe(1.5);
  });

  it('two data folders open in one process keep their own settings: there is no process-wide one', async () => {
    const a = services();
    const b = services();
    await a.router.call('settings.update', { limits: { maxVoltage: 1.5 } });
    expect(a.settings.currentLimits().maxVoltage).toBe(1.5);
    expect(b.settings.currentLimits()).toEqual(DEFAULT_LIMITS);
    // A run started in b is checked against b's limits, not the most recently changed ones.
    const started = await b.router.call('runs.start', { protocol: spikeTrain, device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 1 } });
    expect(started.ok).toBe(true);
    const refused = await a.router.call('runs.start', { protocol: spikeTrain, device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 1 } });
    expect(refused.ok || refused.error.code).toBe('invalid_request');
  });

  it('refuses unknown keys, wrong types and out-of-range values with the field named, and writes nothing', async () => {
    const s = services();
    await s.router.call('settings.update', { limits: { maxVoltage: 4 } });
    const before = rows(s.store.file);
    const cases: [unknown, string, RegExp][] = [
      [{ bogus: 1 }, 'bogus', /Unrecognized key/],
      [{ limits: { maxVoltge: 3 } }, 'limits.maxVoltge', /Unrecognized key/],
      [{ limits: { maxVoltage: -1 } }, 'limits.maxVoltage', /more than 0 V/],
      [{ limits: { maxVoltage: 1000 } }, 'limits.maxVoltage', /at most 200 V/],
      [{ limits: { maxPulses: 2.5 } }, 'limits.maxPulses', /whole number/],
      [{ limits: { maxDutyCycle: 1.5 } }, 'limits.maxDutyCycle', /at most 100 %/],
      [{ limits: 'high' }, 'limits', /object/],
      [{ defaultReadVoltage: 0 }, 'defaultReadVoltage', /0 V/],
      [{ defaultReadVoltage: 4.5 }, 'defaultReadVoltage', /within the voltage limit \(max \|V\| = 4 V\)/],
      [{ theme: 'purple' }, 'theme', /./],
      [{ units: { digits: 12 } }, 'units.digits', /at most 8/],
      [{ backups: { schedule: 'weekly' } }, 'backups.schedule', /./],
      [{ backups: { keep: 0 } }, 'backups.keep', /at least 1/],
      [{ autoReconnect: 'yes' }, 'autoReconnect', /boolean/],
      [{}, '(root)', /at least one setting/],
    ];
    for (const [patch, field, message] of cases) {
      const r = await s.router.call('settings.update', patch);
      expect(r.ok, JSON.stringify(patch)).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('invalid_request');
      const problems = (r.error.details as { problems: { path: string; message: string }[] }).problems;
      expect(problems[0]?.path, JSON.stringify(patch)).toBe(field);
      expect(problems[0]?.message, JSON.stringify(patch)).toMatch(message);
      expect(r.error.message).toContain(field);
    }
    // A lowered limit under the read voltage is refused too, naming the read voltage.
    await s.router.call('settings.update', { defaultReadVoltage: 2 });
    const clash = await s.router.call('settings.update', { limits: { maxVoltage: 1 } });
    expect(clash.ok).toBe(false);
    expect(!clash.ok && (clash.error.details as { problems: { path: string }[] }).problems[0]?.path).toBe('defaultReadVoltage');
    expect(rows(s.store.file).filter((r) => r.key !== 'defaultReadVoltage')).toEqual(before);
  });

  it('the service refuses an invalid patch given directly (not only through the router)', () => {
    const s = services();
    expect(() => s.settings.update({ limits: { compliance: 'lots' } })).toThrow(/limits\.compliance/);
    expect(rows(s.store.file)).toEqual([]);
  });

  it('a stored value that fails its schema falls back to the default, field by field, with a warning in the log', async () => {
    const dir = tempDir();
    const s = services(dir);
    await s.close();
    const db = new Database(path.join(dir, 'workbench.sqlite'));
    const put = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)');
    put.run('limits', JSON.stringify({ maxVoltage: 2, compliance: -5, futureLimit: 7 }), 'x');
    put.run('theme', JSON.stringify('neon'), 'x');
    put.run('fromNewerBuild', JSON.stringify({ anything: true }), 'x');
    db.close();

    const again = services(dir);
    const got = again.settings.get();
    expect(got.limits).toEqual({ ...DEFAULT_LIMITS, maxVoltage: 2 });
    expect(got.theme).toBe('system');
    const warnings = again.logs.tail({ minLevel: 'warn' }).entries.map((e) => e.message);
    expect(warnings).toContainEqual(expect.stringContaining('limits.compliance is invalid'));
    expect(warnings).toContainEqual(expect.stringContaining('theme is invalid'));

    // Writing keeps what a newer build stored (its own field, its own key).
    again.settings.update({ limits: { maxWidth: 0.5 } });
    const stored = Object.fromEntries(rows(again.store.file).map((r) => [r.key, JSON.parse(r.value) as unknown]));
    expect(stored.limits).toEqual({ ...DEFAULT_LIMITS, maxVoltage: 2, maxWidth: 0.5, futureLimit: 7 });
    expect(stored.fromNewerBuild).toEqual({ anything: true });
  });

  it('announces every change on the bus (settings.changed) and to onChange listeners', async () => {
    const s = services();
    const seen: unknown[] = [];
    s.bus.subscribe((name, payload) => name === 'settings.changed' && seen.push(payload));
    let heard: unknown = null;
    s.settings.onChange((x) => (heard = x.units));
    await s.router.call('settings.update', { units: { prefixes: false } });
    expect(seen).toEqual([{ ...DEFAULT_SETTINGS, units: { prefixes: false, digits: 4 } }]);
    expect(heard).toEqual({ prefixes: false, digits: 4 });
    await s.router.call('settings.update', { units: { digits: 99 } });
    expect(seen).toHaveLength(1);
  });

  it("'settings.openDataFolder' is unavailable in the web host and opens the data folder where the host can", async () => {
    const web = services();
    const r = await web.router.call('settings.openDataFolder', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const opened: string[] = [];
    const dir = tempDir();
    const desktop = services(dir, { openPath: async (p) => (opened.push(p), '') });
    expect(await desktop.router.call('settings.openDataFolder', {})).toEqual({ ok: true, value: { path: dir } });
    expect(opened).toEqual([dir]);

    const failing = services(tempDir(), { openPath: async () => 'no file manager' });
    expect(await failing.router.call('settings.openDataFolder', {})).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('no file manager') } });
  });
});
