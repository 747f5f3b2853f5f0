/**
 * The key of the virtual device a run lands on when it names no device of a chip: one per simulated
 * preset (`sim:<preset>`) and per instrument identity (`idn:<*IDN?>`), the same rules as migration
 * 10's SQL, and the name such a device gets.
 */
/** The virtual-device key of a run's device snapshot (the same rule as migration 10's SQL). */
export function deviceKeyForRun(device: unknown, instrumentIdn: string | null): string {
  const d = device !== null && typeof device === 'object' ? (device as Record<string, unknown>) : {};
  const str = (x: unknown) => (typeof x === 'string' ? x : null);
  if (d.kind === 'instrument') {
    if (instrumentIdn !== null && instrumentIdn.trim() !== '') return `idn:${instrumentIdn.trim()}`;
    return `instrument:${str(d.driver) ?? '?'} on ${str(d.port) ?? '?'}`;
  }
  if (d.kind === 'simulated') return `sim:${str(d.preset) ?? str(d.model) ?? 'unnamed'}`;
  return 'sim:unknown';
}

/** The virtual-device key of an RL run (its hardware record, or its first strategy's preset). */
export function deviceKeyForRlRun(config: unknown, hardware: unknown): string {
  if (hardware !== null && hardware !== undefined && typeof hardware === 'object') {
    const identity = (hardware as Record<string, unknown>).identity;
    return typeof identity === 'string' && identity.trim() !== '' ? `idn:${identity.trim()}` : 'instrument:RL device';
  }
  const strategies = config !== null && typeof config === 'object' ? (config as Record<string, unknown>).strategies : undefined;
  const first: unknown = Array.isArray(strategies) ? strategies[0] : undefined;
  const preset = first !== null && typeof first === 'object' ? (first as Record<string, unknown>).device : undefined;
  return typeof preset === 'string' ? `sim:${preset}` : 'sim:rl';
}

/** The name a virtual device gets from its key. */
export function virtualName(key: string): string {
  if (key.startsWith('sim:')) return `Simulated ${key.slice(4)}`.slice(0, 200);
  if (key.startsWith('idn:')) return key.slice(4, 204);
  return key.slice('instrument:'.length, 'instrument:'.length + 200);
}
