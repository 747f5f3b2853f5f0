import { DEFAULT_READ_INTEGRATION, DEFAULT_READ_VOLTAGE } from './defaults';
import type { ReadAfter, ReadSettings } from './document';

/** A read with every setting decided. */
export interface ResolvedRead {
  voltage: number;
  integration: number;
}

/** The document's read defaults over the workbench's. */
export function readDefaults(settings: ReadSettings | undefined): ResolvedRead {
  return {
    voltage: settings?.voltage ?? DEFAULT_READ_VOLTAGE,
    integration: settings?.integration ?? DEFAULT_READ_INTEGRATION,
  };
}

/** The read a block takes after each pulse, or undefined when it takes none. */
export function resolveRead(after: ReadAfter | undefined, defaults: ResolvedRead): ResolvedRead | undefined {
  if (after === undefined || after === false) return undefined;
  if (after === true) return defaults;
  return { voltage: after.voltage ?? defaults.voltage, integration: after.integration ?? defaults.integration };
}
