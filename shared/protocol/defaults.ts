/**
 * Defaults that are ours, not the paper's (its full text is not available to us); the UI must say
 * so wherever it shows them.
 */

/** Read voltage (V): small enough not to disturb the state of the default device model. */
export const DEFAULT_READ_VOLTAGE = 0.1;

/**
 * How long a read lasts in protocol time (s): 1 ms, the order of a source-measure unit's fast
 * integration (0.05 NPLC at 50 Hz). A read right after a pulse occupies [end of pulse, +1 ms].
 */
export const DEFAULT_READ_INTEGRATION = 1e-3;

/** Deepest nesting of repeat/sweep/until bodies a document may have. */
export const MAX_NESTING = 16;

/**
 * Relative tolerance of limit and timing comparisons, so that 10 ms every 20 ms is exactly a
 * 50 % duty cycle even after floating-point arithmetic.
 */
export const TOLERANCE = 1e-9;

export function exceeds(value: number, limit: number): boolean {
  return value > limit * (1 + TOLERANCE) + Number.MIN_VALUE;
}
