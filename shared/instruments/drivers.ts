/** The instrument drivers this workbench has, by name (the contract, the CLI and the renderer use this list). */
export const DRIVER_NAMES = ['keithley2400', 'keithley2450', 'keithley2600', 'keysight-b2900', 'pulse-board'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];

export function isDriverName(x: unknown): x is DriverName {
  return (DRIVER_NAMES as readonly unknown[]).includes(x);
}

/**
 * Whether an identification reply says the instrument is virtual (the workbench's emulator): a
 * field of it — the serial number in a SCPI `*IDN?` reply — reads VIRTUAL. Manufacturer and model
 * stay as the real instrument's, so parsers that read those still accept the reply.
 */
export function isVirtualIdn(idn: string | null | undefined): boolean {
  if (!idn) return false;
  return idn.split(',').some((field) => /\bvirtual\b/i.test(field));
}
