import { Fragment, useEffect, useRef, type KeyboardEvent } from 'react';
import { SHORTCUT_GROUPS } from './shortcuts';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Every keyboard shortcut, in a modal dialog: opened with ? (or from Help), closed with Escape or
 * Close. Tab stays inside it, and focus goes back to where it was when it closes.
 */
export function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);

  // The browser's own modal focus lets Tab leave for its toolbar; the sheet keeps it inside.
  const trap = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab') return;
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const closed = () => {
    onClose();
    const back = returnTo.current;
    returnTo.current = null;
    if (back && back.isConnected) back.focus();
  };

  return (
    <dialog ref={ref} className="shortcut-sheet" aria-labelledby="shortcut-sheet-title" data-testid="shortcut-sheet" onClose={closed} onKeyDown={trap}>
      {open && (
        <>
          <div className="shortcut-sheet-head">
            <h2 id="shortcut-sheet-title">Keyboard shortcuts</h2>
            <button type="button" autoFocus onClick={() => ref.current?.close()}>
              Close
            </button>
          </div>
          <div className="shortcut-groups">
            {SHORTCUT_GROUPS.map((g, k) => (
              <section key={g.title} aria-labelledby={`shortcut-group-${k}`}>
                <h3 id={`shortcut-group-${k}`}>{g.title}</h3>
                <dl>
                  {g.shortcuts.map((s) => (
                    <div key={s.keys} className="shortcut-row">
                      <dt>
                        <Keys keys={s.keys} />
                      </dt>
                      <dd>{s.action}</dd>
                    </div>
                  ))}
                </dl>
              </section>
            ))}
          </div>
          <p className="muted shortcut-sheet-note">The same list is in Help › User guide › Keyboard.</p>
        </>
      )}
    </dialog>
  );
}

/** 'Ctrl+Z / Ctrl+Shift+Z' and 'G then P' as one key cap per key press, the words between them plain. */
function Keys({ keys }: { keys: string }) {
  return (
    <>
      {keys.split(' / ').map((alt, a) => (
        <Fragment key={a}>
          {a > 0 && ' / '}
          {alt.split(' then ').map((press, p) => (
            <Fragment key={p}>
              {p > 0 && ' then '}
              <kbd>{press}</kbd>
            </Fragment>
          ))}
        </Fragment>
      ))}
    </>
  );
}
