import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A chart's header on one row (#19: it wrapped at 1280 px, two charts side by side): the title,
 * what is under the cursor or a note, the log toggle, and compact controls — a reset button drawn
 * as an icon (named "Reset zoom" for screen readers and tests) and one Export menu holding PNG and
 * CSV. Only on a chart narrower than two side by side at 1280 px does the title give way, with an
 * ellipsis and the whole title in its tooltip.
 */
export function ChartToolbar({ title, status, log, onReset, onPng, onCsv }: {
  title: string;
  /** The crosshair's readout, or a note about what is drawn. */
  status?: ReactNode;
  log?: { label: string; checked: boolean; onChange: (on: boolean) => void } | undefined;
  onReset: () => void;
  onPng: () => void;
  onCsv: () => void;
}) {
  return (
    <figcaption className="chart-toolbar">
      <span className="chart-title" title={title}>
        {title}
      </span>
      <span className="chart-readout mono" aria-live="off">
        {status ?? ''}
      </span>
      {log && (
        <label className="chart-toggle">
          <input type="checkbox" checked={log.checked} onChange={(e) => log.onChange(e.target.checked)} /> {log.label}
        </label>
      )}
      <button type="button" className="small chart-icon-button" onClick={onReset} aria-label="Reset zoom" title="Reset zoom: show all data (zoom: Ctrl+wheel or shift-drag; pan: drag)">
        <span aria-hidden>⤢</span>
      </button>
      <ExportMenu onPng={onPng} onCsv={onCsv} />
    </figcaption>
  );
}

/** "Export ▾": a menu of PNG (the chart as drawn) and CSV (its data in SI units). Escape or a click elsewhere closes it. */
function ExportMenu({ onPng, onCsv }: { onPng: () => void; onCsv: () => void }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLSpanElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    box.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const outside = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const choose = (action: () => void) => {
    setOpen(false);
    trigger.current?.focus();
    action();
  };
  return (
    <span
      className="chart-menu"
      ref={box}
      onKeyDown={(e) => {
        if (!open) return;
        const items = Array.from(box.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);
        const at = items.indexOf(document.activeElement as HTMLButtonElement);
        if (e.key === 'Escape') {
          e.stopPropagation();
          setOpen(false);
          trigger.current?.focus();
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
        }
      }}
    >
      <button type="button" className="small" ref={trigger} aria-haspopup="menu" aria-expanded={open} aria-controls={open ? id : undefined} onClick={() => setOpen((o) => !o)}>
        Export ▾
      </button>
      {open && (
        <span role="menu" id={id} className="chart-menu-list" aria-label="Export">
          <button type="button" role="menuitem" onClick={() => choose(onPng)}>
            PNG image
          </button>
          <button type="button" role="menuitem" onClick={() => choose(onCsv)}>
            CSV data (SI units)
          </button>
        </span>
      )}
    </span>
  );
}
