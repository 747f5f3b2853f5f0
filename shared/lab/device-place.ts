/**
 * Where a run was measured, in one line: "W17 › chip A (8×8) › WL2/BL5 (word line 2, bit line 5)".
 * The Lab view and `workbench runs --source lab` both show a lab run's device this way.
 */
export interface DevicePlace {
  name: string | null;
  wordLine: number | null;
  bitLine: number | null;
  chipName: string | null;
  chipRows: number | null;
  chipCols: number | null;
  sampleName: string | null;
  sampleKind?: string | null;
}

/**
 * The device's sample, chip and name with its crossbar coordinates; '' for no device. `short` (a
 * table cell): no chip size, the coordinates only when the name does not already say them, and a
 * virtual device by its name alone.
 */
export function devicePlaceText(d: DevicePlace | null, options: { short?: boolean } = {}): string {
  if (d === null) return '';
  // A device whose record did not reach the lab (its publish failed, or it was deleted) shows as unknown.
  if (d.name === null) return 'device not published';
  if (options.short) {
    if (d.sampleKind === 'virtual') return d.name;
    const named = d.wordLine === null || d.name === `WL${d.wordLine}/BL${d.bitLine}`;
    return [d.sampleName, d.chipName, named ? d.name : `${d.name} (WL${d.wordLine}/BL${d.bitLine})`].filter((x) => x !== null).join(' › ');
  }
  const chip = d.chipName === null ? null : d.chipRows !== null && d.chipCols !== null ? `${d.chipName} (${d.chipRows}×${d.chipCols})` : d.chipName;
  const at = d.wordLine !== null && d.bitLine !== null ? ` (word line ${d.wordLine}, bit line ${d.bitLine})` : '';
  return [d.sampleName, chip, `${d.name}${at}`].filter((x) => x !== null).join(' › ');
}
