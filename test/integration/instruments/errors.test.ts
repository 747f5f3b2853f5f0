import { describe, expect, it } from 'vitest';
import { SerialSettingsInput } from '../../../shared/contract/areas/instruments';
import { BAUD_RATES, resolveSerialSettings, DEFAULT_SERIAL_SETTINGS } from '../../../shared/instruments/serial-settings';
import { ServiceError } from '../../../electron/services/errors';
import { InstrumentError } from '../../../electron/services/instruments/errors';
import { InstrumentManager, ManagerError } from '../../../electron/services/instruments/manager';
import { memoryLogger } from '../../../electron/services/logs/logger';
import { onCleanup } from './helpers';

describe('instrument errors', () => {
  it('are ServiceErrors with a contract code, keeping their kind', () => {
    const lost = new InstrumentError('port-closed', 'the port closed');
    expect(lost).toBeInstanceOf(ServiceError);
    expect(lost).toMatchObject({ kind: 'port-closed', code: 'unavailable', name: 'InstrumentError' });
    expect(lost.toContractError()).toEqual({ code: 'unavailable', message: 'the port closed' });
    expect(new InstrumentError('unsafe', 'x').code).toBe('unsafe');
    expect(new InstrumentError('timeout', 'x').code).toBe('timeout');
    expect(new InstrumentError('compliance', 'x').code).toBe('instrument');
    const refused = new ManagerError('invalid', 'bad baud');
    expect(refused).toBeInstanceOf(ServiceError);
    expect(refused).toMatchObject({ kind: 'invalid', code: 'invalid_request' });
  });
});

describe('serial settings: one rule for the contract and the service', () => {
  it('accepts the standard baud rates and refuses anything else in both places', () => {
    for (const baudRate of BAUD_RATES) {
      expect(SerialSettingsInput.safeParse({ baudRate }).success).toBe(true);
      expect(resolveSerialSettings(DEFAULT_SERIAL_SETTINGS, { baudRate }).baudRate).toBe(baudRate);
    }
    for (const baudRate of [12345, 96000, 0, -9600, 9600.5]) {
      expect(SerialSettingsInput.safeParse({ baudRate }).success).toBe(false);
      expect(() => resolveSerialSettings(DEFAULT_SERIAL_SETTINGS, { baudRate })).toThrow(/baud rate must be one of/);
    }
  });

  it('the manager refuses invalid settings with invalid_request and keeps the old ones', () => {
    const manager = new InstrumentManager();
    onCleanup(() => manager.close());
    expect(() => manager.configure({ settings: { baudRate: 12345 as never } })).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringMatching(/baud rate/) }));
    expect(manager.config().settings.baudRate).toBe(9600);
  });
});

describe('instrument manager logging', () => {
  it('logs through the Logger it is given, as the instruments source', async () => {
    const logger = memoryLogger();
    const manager = new InstrumentManager({ logger, list: async () => ({ ports: [] }) });
    onCleanup(() => manager.close());
    const v = await manager.startVirtual({ driver: 'pulse-board' });
    await manager.stopVirtual(v.id);
    expect(logger.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'info', source: 'instruments', message: `virtual instrument ${v.id} started on ${v.path}` }),
        expect.objectContaining({ level: 'info', source: 'instruments', message: `virtual instrument ${v.id} stopped` }),
      ]),
    );
  });
});
