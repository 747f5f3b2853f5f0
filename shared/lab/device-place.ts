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
}

/** The device's sample, chip and name with its crossbar coordinates; '' for no device. */
export function devicePlaceText(d: DevicePlace | null): string {
  if (d === null) return '';
  // A device whose record did not reach the lab (its publish failed, or it was deleted) shows as unknown.
  if (d.name === null) return 'device not published';
  const chip = d.chipName === null ? null : d.chipRows !== null && d.chipCols !== null ? `${d.chipName} (${d.chipRows}×${d.chipCols})` : d.chipName;
  const at = d.wordLine !== null && d.bitLine !== null ? ` (word line ${d.wordLine}, bit line ${d.bitLine})` : '';
  return [d.sampleName, chip, `${d.name}${at}`].filter((x) => x !== null).join(' › ');
}
