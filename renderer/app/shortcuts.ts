/**
 * The workbench's keyboard shortcuts, in one place: the shortcut sheet shows this list, the
 * app-wide handler reads the page letters from it, and a test keeps Help's and the README's
 * Keyboard tables equal to it.
 *
 * Pages are reached with G then a letter (as in Gmail or GitHub), typed anywhere but in a text
 * field. Not Alt+digit: Chromium on Linux takes Alt+1…8 for its tabs (the web host runs in a
 * browser) and macOS types characters with Option+digit; single letters leave the editor's
 * Ctrl+S/Z/D/Enter and the browser's own keys alone.
 */

/** The letter that follows G for each page of the rail. */
export const PAGE_KEYS: Readonly<Record<string, string>> = {
  protocols: 'p',
  devices: 'd',
  live: 'l',
  rl: 'r',
  archive: 'a',
  samples: 'c',
  instruments: 'i',
  settings: 's',
  help: 'h',
};

/** How long G waits for its letter (ours): long enough to find the key, short enough to forget a stray G. */
export const SEQUENCE_MS = 2000;

export interface Shortcut {
  /** As printed: 'Ctrl+S', 'G then P'. */
  keys: string;
  action: string;
}
export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

const PAGE_LABELS: Readonly<Record<string, string>> = {
  protocols: 'Protocols',
  devices: 'Devices',
  live: 'Live',
  rl: 'RL',
  archive: 'Archive',
  samples: 'Samples (chips and devices)',
  instruments: 'Instruments',
  settings: 'Settings',
  help: 'Help',
};

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    title: 'Anywhere (not while typing in a field)',
    shortcuts: [
      { keys: 'Tab', action: 'first press: the “Skip to main content” link (Enter moves to the page)' },
      { keys: '?', action: 'open the shortcut sheet (also a button on the Help page)' },
      ...Object.entries(PAGE_KEYS).map(([page, key]) => ({ keys: `G then ${key.toUpperCase()}`, action: `go to ${PAGE_LABELS[page] ?? page}` })),
      { keys: 'Escape', action: 'close a dialog' },
    ],
  },
  {
    title: 'Protocol editor',
    shortcuts: [
      { keys: 'Ctrl+S', action: 'save the protocol being edited (as a new version)' },
      { keys: 'Ctrl+Z / Ctrl+Shift+Z', action: 'undo / redo' },
      { keys: 'Ctrl+D', action: 'duplicate the selected block' },
      { keys: 'Delete', action: 'delete the selected block' },
      { keys: '↑ / ↓', action: 'select the previous / next block' },
      { keys: 'Alt+↑ / Alt+↓', action: 'move the selected block, into and out of bodies' },
      { keys: '← / →', action: 'collapse / expand a block' },
      { keys: 'Enter', action: 'edit the selected block’s first field' },
    ],
  },
  {
    title: 'Live, RL and Devices',
    shortcuts: [
      { keys: 'Ctrl+Enter', action: 'run (Live, RL) or fit (Devices)' },
      { keys: 'Ctrl+S', action: 'save the device preset (Devices)' },
    ],
  },
  {
    title: 'Desktop',
    shortcuts: [{ keys: 'Ctrl+,', action: 'Settings' }],
  },
];

/** The page a letter typed after G goes to, or null. */
export function pageForKey(key: string): string | null {
  const k = key.toLowerCase();
  return Object.entries(PAGE_KEYS).find(([, letter]) => letter === k)?.[0] ?? null;
}

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'month', 'time', 'week']);

/** True where a typed letter belongs to a field: text inputs, text areas, selects, editable content. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUTS.has(target.type || 'text');
  return false;
}
