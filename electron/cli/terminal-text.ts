/**
 * Text the CLI prints for a person is made of what people wrote: protocol, run and experiment
 * names, file names, values quoted in problems. A terminal acts on control characters — an ANSI
 * escape in a protocol name could recolour, move the cursor or retitle the window — so they are
 * shown as escapes (\u001b), never sent raw. JSON output needs none of this: JSON.stringify escapes
 * control characters itself.
 */

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
/** The same, newline and tab included: for text that must stay on its line. */
const CONTROLS_AND_BREAKS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

function escape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Lines for the terminal: newlines and tabs kept, every other control character shown escaped. */
export function forTerminal(text: string): string {
  return text.replace(CONTROLS, escape);
}

/** A name or value inside a line: every control character escaped, newlines too. */
export function inline(text: string): string {
  return text.replace(CONTROLS_AND_BREAKS, escape);
}
