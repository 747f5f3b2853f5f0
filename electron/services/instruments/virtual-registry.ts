import type { DriverName } from './instrument';

/**
 * Virtual instruments (emulators) started in this process, so the port list can show them next to
 * the real ports — pseudo-terminals never appear in the system's own enumeration.
 */
export interface VirtualInstrumentEntry {
  /** 'virtual:keithley2400' (a second one of the same driver gets '-2', and so on). */
  id: string;
  driver: DriverName;
  /** The path a client opens. */
  path: string;
  /** The underlying pseudo-terminal, e.g. /dev/pts/4. */
  pty: string;
  startedAt: number;
}

const entries = new Map<string, VirtualInstrumentEntry>();

/** Registers an emulator; returns the function that removes it. */
export function registerVirtualInstrument(entry: Omit<VirtualInstrumentEntry, 'id' | 'startedAt'>): { id: string; unregister(): void } {
  let id = `virtual:${entry.driver}`;
  for (let n = 2; entries.has(id); n++) id = `virtual:${entry.driver}-${n}`;
  entries.set(id, { ...entry, id, startedAt: Date.now() });
  return { id, unregister: () => entries.delete(id) };
}

export function listVirtualInstruments(): VirtualInstrumentEntry[] {
  return [...entries.values()];
}
