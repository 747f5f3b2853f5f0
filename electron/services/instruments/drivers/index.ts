import type { DriverCapabilities, DriverDescription } from '../../../../shared/instruments/capabilities';
import type { DriverName, InstrumentBase } from '../instrument';
import type { InstrumentLimits } from '../limits';
import type { SerialSettings } from '../settings';
import type { LineTransport } from '../transport/line-transport';
import { KEITHLEY2400_CAPABILITIES, KEITHLEY2400_IDENTITY, KEITHLEY2400_SETTINGS, Keithley2400 } from './keithley2400';
import { KEITHLEY2450_CAPABILITIES, KEITHLEY2450_IDENTITY, KEITHLEY2450_SETTINGS, Keithley2450 } from './keithley2450';
import { KEITHLEY2600_CAPABILITIES, KEITHLEY2600_IDENTITY, KEITHLEY2600_SETTINGS, Keithley2600 } from './keithley2600';
import { KEYSIGHT_B2900_CAPABILITIES, KEYSIGHT_B2900_IDENTITY, KEYSIGHT_B2900_SETTINGS, KeysightB2900 } from './keysight-b2900';
import { PULSE_BOARD_CAPABILITIES, PULSE_BOARD_PROTOCOL, PULSE_BOARD_SETTINGS, PulseBoard, isBoardComment } from './pulse-board';

export interface DriverInfo {
  name: DriverName;
  title: string;
  /** The serial settings the instrument ships with. */
  defaultSettings: Readonly<SerialSettings>;
  /** What it can make before it is connected (a connected one may know more, e.g. its model's ranges). */
  capabilities: Readonly<DriverCapabilities>;
  /** Whether an identification reply is this driver's instrument (for choosing a driver by `*IDN?`). */
  identifies(idn: string): boolean;
  isComment?: (line: string) => boolean;
  create(transport: LineTransport, limits: Partial<InstrumentLimits>): InstrumentBase;
}

export const DRIVERS: Readonly<Record<DriverName, DriverInfo>> = {
  keithley2400: {
    name: 'keithley2400',
    title: 'Keithley 2400 series (SCPI over RS-232 or GPIB)',
    defaultSettings: KEITHLEY2400_SETTINGS,
    capabilities: KEITHLEY2400_CAPABILITIES,
    identifies: (idn) => KEITHLEY2400_IDENTITY.test(idn),
    create: (t, l) => new Keithley2400(t, l),
  },
  keithley2450: {
    name: 'keithley2450',
    title: 'Keithley 2450 (SCPI over LAN, USB-TMC or GPIB)',
    defaultSettings: KEITHLEY2450_SETTINGS,
    capabilities: KEITHLEY2450_CAPABILITIES,
    identifies: (idn) => KEITHLEY2450_IDENTITY.test(idn),
    create: (t, l) => new Keithley2450(t, l),
  },
  keithley2600: {
    name: 'keithley2600',
    title: 'Keithley 2600B series (TSP)',
    defaultSettings: KEITHLEY2600_SETTINGS,
    capabilities: KEITHLEY2600_CAPABILITIES,
    identifies: (idn) => KEITHLEY2600_IDENTITY.test(idn),
    create: (t, l) => new Keithley2600(t, l),
  },
  'keysight-b2900': {
    name: 'keysight-b2900',
    title: 'Keysight B2901A/B2902A (SCPI, pulse mode)',
    defaultSettings: KEYSIGHT_B2900_SETTINGS,
    capabilities: KEYSIGHT_B2900_CAPABILITIES,
    identifies: (idn) => KEYSIGHT_B2900_IDENTITY.test(idn),
    create: (t, l) => new KeysightB2900(t, l),
  },
  'pulse-board': {
    name: 'pulse-board',
    title: 'DIY pulse board (workbench line protocol)',
    defaultSettings: PULSE_BOARD_SETTINGS,
    capabilities: PULSE_BOARD_CAPABILITIES,
    identifies: (idn) => idn.startsWith(`OK ${PULSE_BOARD_PROTOCOL},`),
    isComment: isBoardComment,
    create: (t, l) => new PulseBoard(t, l),
  },
};

/**
 * The order in which `*IDN?` replies are matched: the most specific first (a 2450 also answers
 * like a 2400-series instrument, which the 2400 driver accepts for its 2400 mode).
 */
const DETECTION_ORDER: readonly DriverName[] = ['keithley2450', 'keysight-b2900', 'keithley2400', 'keithley2600', 'pulse-board'];

/** The driver for an identification reply, or null when none knows it. */
export function driverForIdn(idn: string): DriverName | null {
  return DETECTION_ORDER.find((name) => DRIVERS[name].identifies(idn)) ?? null;
}

/** Every driver with its capabilities, for the contract. */
export function describeDrivers(): DriverDescription[] {
  return Object.values(DRIVERS).map((d) => ({ name: d.name, title: d.title, capabilities: structuredClone({ ...d.capabilities }) }));
}

export { Keithley2400, Keithley2450, Keithley2600, KeysightB2900, PulseBoard };
