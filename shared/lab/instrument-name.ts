/**
 * An instrument's name on the lab's job queue (#16): what `workbench submit --instrument NAME`,
 * `workbench worker --lab --instrument NAME[=DEVICE]`, the app's "Submit to the lab…" and the
 * contract's lab.submitRl all accept. One check for all of them, so a name the app takes is one a
 * worker can serve and the other way round.
 */

/** Letters, digits, '_' and '-', 1 to 60 of them (ours: what pg-boss accepts in a queue name, bounded). */
export const INSTRUMENT_NAME = /^[A-Za-z0-9_-]{1,60}$/;
export const INSTRUMENT_NAME_MAX = 60;

/** Why `name` cannot name an instrument, in a sentence; null when it can. */
export function instrumentNameProblem(name: string): string | null {
  if (INSTRUMENT_NAME.test(name)) return null;
  if (name === '') return "an instrument's name is empty: give 1 to 60 letters, digits, '_' or '-'";
  const bad = [...new Set([...name].filter((ch) => !/[A-Za-z0-9_-]/.test(ch)))];
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((ch) => (ch === ' ' ? 'a space' : JSON.stringify(ch))).join(', ');
    // A pasted paragraph is not echoed whole.
    const quoted = name.length <= 80 ? JSON.stringify(name) : `${JSON.stringify(name.slice(0, 60))}…`;
    return `an instrument's name may hold only letters, digits, '_' and '-' (1 to 60 of them); ${quoted} has ${shown}`;
  }
  // Only letters, digits, _ and - are left, one UTF-16 unit each: the length is the character count.
  return `an instrument's name may be at most ${INSTRUMENT_NAME_MAX} characters long; this one has ${name.length}`;
}
