import { describe, expect, it } from 'vitest';
import { requestNames } from '../../../shared/contract';
import { EventBus, createRouter, type Handlers } from '../../../electron/router';
import { ServiceError } from '../../../electron/services/errors';
import { memoryLogger } from '../../../electron/services/logs/logger';
import { BundleError, StoreError } from '../../../electron/services/store';

const info = { appName: 'x', appVersion: '0', hostKind: 'web' as const, dataDir: '/d', dataFile: '/d/f', schemaVersion: 1, platform: 'p', versions: {} };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const notUsed = () => {
    throw new Error('not used in this test');
  };
  const base = Object.fromEntries(requestNames.map((n) => [n, notUsed])) as unknown as Handlers;
  return { ...base, 'app.info': () => info, ...overrides };
}

describe('router', () => {
  it('answers a valid request with an ok envelope', async () => {
    const r = createRouter(handlers());
    expect(await r.call('app.info', {})).toEqual({ ok: true, value: info });
  });

  it('names the offending field of a malformed request and does not call the handler', async () => {
    let called = false;
    const r = createRouter(handlers({ 'runs.list': () => ((called = true), { runs: [], total: 0 }) }));
    const res = await r.call('runs.list', { limit: 0, experimentId: 'nope' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_request');
    const paths = (res.error.details as { problems: { path: string }[] }).problems.map((p) => p.path).sort();
    expect(paths).toEqual(['experimentId', 'limit']);
    expect(called).toBe(false);
  });

  it('reports unknown keys by name', async () => {
    const res = await createRouter(handlers()).call('app.info', { sneaky: true });
    expect(res.ok || res.error.message).toContain('sneaky');
  });

  it('turns a ServiceError into its code and any other throw into internal (logged), without throwing', async () => {
    const logger = memoryLogger();
    const r = createRouter(
      handlers({
        'runs.get': () => {
          throw new ServiceError('not_found', 'no such run');
        },
        'experiments.list': () => {
          throw new TypeError('boom');
        },
      }),
      { logger },
    );
    expect(await r.call('runs.get', { id: '123e4567-e89b-42d3-a456-426614174000' })).toEqual({ ok: false, error: { code: 'not_found', message: 'no such run' } });
    const internal = await r.call('experiments.list', {});
    expect(internal.ok || internal.error.code).toBe('internal');
    expect(logger.entries.map((e) => [e.level, e.source, e.message])).toEqual([['error', 'router', 'internal error in experiments.list']]);
  });

  it('keeps the code and details of every service error subclass, the same way for each', async () => {
    const problems = [{ path: 'name', message: 'must not be empty' }];
    const r = createRouter(
      handlers({
        'experiments.create': () => {
          throw new StoreError('invalid', 'experiments.create: name must not be empty', { problems });
        },
        'experiments.importBundle': () => {
          throw new BundleError('the file is not an experiment bundle');
        },
        'experiments.list': async () => {
          throw new StoreError('conflict', 'busy', { status: 'running' });
        },
      }),
    );
    expect(await r.call('experiments.create', { name: 'x' })).toEqual({ ok: false, error: { code: 'invalid_request', message: 'experiments.create: name must not be empty', details: { problems } } });
    expect(await r.call('experiments.importBundle', { bytes: new Uint8Array(4) })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: 'the file is not an experiment bundle', details: { problems: [{ path: 'bytes', message: 'the file is not an experiment bundle' }] } },
    });
    expect(await r.call('experiments.list', {})).toEqual({ ok: false, error: { code: 'conflict', message: 'busy', details: { status: 'running' } } });
  });

  it('refuses a handler result that does not match the contract', async () => {
    const r = createRouter(handlers({ 'app.info': () => ({ wrong: true }) as never }));
    const res = await r.call('app.info', {});
    expect(res.ok || res.error.code).toBe('internal');
  });

  it('rejects unknown methods, including prototype names', async () => {
    const r = createRouter(handlers());
    for (const m of ['nope', 'constructor', '__proto__', 42, null]) {
      const res = await r.call(m, {});
      expect(res.ok || res.error.code).toBe('unknown_method');
    }
  });
});

describe('event bus', () => {
  it('delivers valid payloads and refuses malformed ones', () => {
    const bus = new EventBus();
    const got: unknown[] = [];
    bus.subscribe((name, payload) => got.push([name, payload]));
    bus.emit('instrument.state', { state: 'connected', port: '/dev/ttyUSB0', idn: 'KEITHLEY', message: null });
    expect(got).toHaveLength(1);
    expect(() => bus.emit('instrument.state', { state: 'exploded' } as never)).toThrow(/malformed/);
    expect(got).toHaveLength(1);
  });
});
