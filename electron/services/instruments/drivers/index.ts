import type { DriverName, InstrumentBase } from '../instrument';
import type { InstrumentLimits } from '../limits';
import type { SerialSettings } from '../settings';
import type { SerialTransport } from '../transport';
import { KEITHLEY2400_SETTINGS, Keithley2400 } from './keithley2400';
import { KEITHLEY2600_SETTINGS, Keithley2600 } from './keithley2600';
import { PULSE_BOARD_SETTINGS, PulseBoard, isBoardComment } from './pulse-board';

export interface DriverInfo {
  name: DriverName;
  title: string;
  /** The serial settings the instrument ships with. */
  defaultSettings: Readonly<SerialSettings>;
  isComment?: (line: string) => boolean;
  create(transport: SerialTransport, limits: Partial<InstrumentLimits>): InstrumentBase;
}

export const DRIVERS: Readonly<Record<DriverName, DriverInfo>> = {
  keithley2400: {
    name: 'keithley2400',
    title: 'Keithley 2400 series (SCPI over RS-232)',
    defaultSettings: KEITHLEY2400_SETTINGS,
    create: (t, l) => new Keithley2400(t, l),
  },
  keithley2600: {
    name: 'keithley2600',
    title: 'Keithley 2600B series (TSP over RS-232)',
    defaultSettings: KEITHLEY2600_SETTINGS,
    create: (t, l) => new Keithley2600(t, l),
  },
  'pulse-board': {
    name: 'pulse-board',
    title: 'DIY pulse board (workbench line protocol)',
    defaultSettings: PULSE_BOARD_SETTINGS,
    isComment: isBoardComment,
    create: (t, l) => new PulseBoard(t, l),
  },
};

export { Keithley2400, Keithley2600, PulseBoard };
