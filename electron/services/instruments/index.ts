/**
 * Instruments: port listing, the serial transport, drivers (Keithley 2400 SCPI, Keithley 2600B
 * TSP, the workbench's pulse-board protocol), the instrument-backed Device and the emulator.
 */
export { connectInstrument, connectInstrumentDevice, type ConnectOptions } from './connect';
export { realTimers, wallClock, type DeviceClock, type Timers } from './clock';
export { ConsoleLog, type ConsoleDirection, type ConsoleEntry } from './console-log';
export { DRIVERS, type DriverInfo } from './drivers/index';
export { InstrumentError, isInstrumentError, type InstrumentErrorKind } from './errors';
export { DRIVER_NAMES, isDriverName, type DriverName, type Instrument, type SafetyEvent } from './instrument';
export { InstrumentDevice, instrumentDevice, type InstrumentDeviceOptions } from './instrument-device';
export { DEFAULT_INSTRUMENT_LIMITS, resolveLimits, type InstrumentLimits } from './limits';
export { PortPoller, type PortChange, type PortPollerOptions } from './port-poller';
export { describeTypedPath, listPorts, portIdentity, scanDevices, type ListOptions, type PortInfo, type PortListing, type RawPort } from './ports';
export { DEFAULT_SERIAL_SETTINGS, resolveSettings, type LineTerminator, type Parity, type SerialSettings } from './settings';
export { LineTransport, type QueryOptions } from './transport/line-transport';
export { openTransport, type TransportOptions } from './transport/open';
export { startEmulator, type Emulator, type EmulatorOptions } from './emulator/index';
