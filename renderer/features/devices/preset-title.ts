/**
 * A device preset's title as a select shows it (#19: “Second-order intrinsic-gradient memristor
 * (workbench calibration)” was cut off in Live's and the Protocols preview's selects): the name
 * without its qualifier in brackets and without a closing “memristor” or “device”, which the field's
 * label already says. The whole title stands under the select (and in its tooltip).
 */
export function presetShortTitle(title: string): string {
  const short = title
    .replace(/\s*\([^()]*\)\s*$/u, '')
    .replace(/\s+(memristor|device)$/iu, '')
    .trim();
  return short === '' ? title : short;
}
