import { useEffect, useRef } from 'react';
import type { ConsoleLine } from '../../../shared/contract/areas/instruments';

const ARROWS: Record<ConsoleLine['dir'], string> = { out: '→', in: '←', note: '#' };
const NAMES: Record<ConsoleLine['dir'], string> = { out: 'sent', in: 'received', note: 'note' };

function time(t: number): string {
  const d = new Date(t);
  return `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The serial console: every exchanged line with its time and direction, newest at the bottom. */
export function ConsoleView({ lines }: { lines: ConsoleLine[] }) {
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <div
      ref={box}
      className="instr-console mono"
      role="log"
      aria-label="Serial console"
      data-testid="instrument-console"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
    >
      {lines.length === 0 ? (
        <div className="muted">Nothing exchanged yet. Lines sent (→) and received (←) appear here with their times.</div>
      ) : (
        lines.map((l) => (
          <div key={l.seq} className={`instr-line instr-${l.dir}`}>
            <span className="instr-time">{time(l.t)}</span>
            <span className="instr-dir" title={NAMES[l.dir]} aria-label={NAMES[l.dir]}>
              {ARROWS[l.dir]}
            </span>
            <span className="instr-text">{l.text}</span>
          </div>
        ))
      )}
    </div>
  );
}
