/**
 * A grid maze, drawn for editing (cells are buttons: click applies the tool, drag the start or the
 * goal; arrow keys move between cells) or for viewing (the agent's path and the greedy policy's
 * arrows drawn over it). Cells are numbered row·cols + column, as in shared/rl.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Cell } from '../../../shared/rl';

export interface MazeEditing {
  /** Click or Enter on a cell. */
  onCell: (cell: Cell) => void;
  /** The start or the goal dragged onto a cell. */
  onDragMark: (mark: 'S' | 'G', to: Cell) => void;
}

interface Props {
  layout: readonly string[];
  /** Largest cell edge (px); cells shrink so the maze fits `maxWidth`. */
  maxCell?: number;
  maxWidth?: number;
  editing?: MazeEditing;
  /** Cells a dynamic maze's change adds walls to / removes walls from (marked). */
  added?: readonly Cell[];
  removed?: readonly Cell[];
  path?: Int32Array | null;
  pathColor?: string;
  /** Greedy action per cell (0 up, 1 right, 2 down, 3 left; -1 none). */
  greedy?: Int32Array | null;
  label: string;
  testId?: string;
}

const ACTION_NAMES = ['up', 'right', 'down', 'left'];

function describeCell(ch: string | undefined, added: boolean, removed: boolean): string {
  if (ch === 'S') return 'start';
  if (ch === 'G') return 'goal';
  if (ch === '#') return added ? 'wall (added by this change)' : 'wall';
  return removed ? 'free (wall removed by this change)' : 'free';
}

export function MazeView({ layout, maxCell = 30, maxWidth = 340, editing, added = [], removed = [], path, pathColor = 'var(--accent)', greedy, label, testId }: Props) {
  const rows = layout.length;
  const cols = layout[0]?.length ?? 0;
  const size = Math.max(10, Math.min(maxCell, Math.floor(maxWidth / Math.max(1, cols))));
  const [dragging, setDragging] = useState<'S' | 'G' | null>(null);
  const [focusAt, setFocus] = useState(0);
  const focus = Math.min(focusAt, Math.max(0, rows * cols - 1));
  const gridRef = useRef<HTMLDivElement>(null);
  const isAdded = (r: number, c: number) => added.some((x) => x[0] === r && x[1] === c);
  const isRemoved = (r: number, c: number) => removed.some((x) => x[0] === r && x[1] === c);

  useEffect(() => {
    if (!dragging) return;
    const stop = () => setDragging(null);
    window.addEventListener('pointerup', stop);
    window.addEventListener('pointercancel', stop);
    return () => {
      window.removeEventListener('pointerup', stop);
      window.removeEventListener('pointercancel', stop);
    };
  }, [dragging]);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = { ArrowUp: -cols, ArrowDown: cols, ArrowLeft: -1, ArrowRight: 1 };
    const d = moves[e.key];
    if (d === undefined) return;
    const next = focus + d;
    if (next < 0 || next >= rows * cols || (Math.abs(d) === 1 && Math.floor(next / cols) !== Math.floor(focus / cols))) return;
    e.preventDefault();
    setFocus(next);
    (gridRef.current?.children[next] as HTMLElement | undefined)?.focus();
  };

  const center = (k: number) => [(k % cols) * size + size / 2, Math.floor(k / cols) * size + size / 2] as const;
  const points = path && path.length > 0 ? Array.from(path, (k) => center(k).join(',')).join(' ') : null;

  return (
    <div className="rl-maze" style={{ width: cols * size + 2, height: rows * size + 2 }} data-testid={testId} data-dragging={dragging ?? undefined}>
      <div
        ref={gridRef}
        className={`rl-maze-grid${editing ? ' is-editable' : ''}`}
        style={{ gridTemplateColumns: `repeat(${cols}, ${size}px)`, gridAutoRows: `${size}px` }}
        role={editing ? 'group' : 'img'}
        aria-label={label}
        onKeyDown={editing ? onKey : undefined}
      >
        {layout.flatMap((line, r) =>
          Array.from(line, (ch, c) => {
            const k = r * cols + c;
            const a = isAdded(r, c);
            const rm = isRemoved(r, c);
            const cls = `rl-cell rl-cell-${ch === '#' ? 'wall' : ch === 'S' ? 'start' : ch === 'G' ? 'goal' : 'free'}${a ? ' is-added' : ''}${rm ? ' is-removed' : ''}`;
            const text = ch === 'S' || ch === 'G' ? ch : '';
            if (!editing) {
              return (
                <div key={k} className={cls} aria-hidden="true">
                  {text}
                </div>
              );
            }
            return (
              <button
                key={k}
                type="button"
                className={cls}
                tabIndex={k === focus ? 0 : -1}
                aria-label={`Row ${r + 1}, column ${c + 1}: ${describeCell(ch, a, rm)}`}
                draggable={false}
                onFocus={() => setFocus(k)}
                onPointerDown={(e) => {
                  if (ch === 'S' || ch === 'G') {
                    setDragging(ch);
                    (e.target as HTMLElement).releasePointerCapture?.(e.pointerId);
                  }
                }}
                onPointerEnter={() => {
                  if (dragging && ch !== dragging) editing.onDragMark(dragging, [r, c]);
                }}
                onClick={() => editing.onCell([r, c])}
              >
                {text}
              </button>
            );
          }),
        )}
      </div>
      {(points || greedy) && (
        <svg className="rl-maze-overlay" width={cols * size} height={rows * size} aria-hidden="true">
          <defs>
            <marker id="rl-arrowhead" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--muted)" />
            </marker>
          </defs>
          {greedy &&
            Array.from(greedy, (a, k) => {
              if (a < 0 || a > 3) return null;
              const [x, y] = center(k);
              const len = size * 0.28;
              const dx = a === 1 ? len : a === 3 ? -len : 0;
              const dy = a === 0 ? -len : a === 2 ? len : 0;
              return <line key={k} x1={x - dx * 0.6} y1={y - dy * 0.6} x2={x + dx} y2={y + dy} className="rl-arrow" markerEnd="url(#rl-arrowhead)" data-action={ACTION_NAMES[a]} />;
            })}
          {points && <polyline points={points} fill="none" stroke={pathColor} strokeWidth={Math.max(2, size / 9)} strokeLinejoin="round" strokeLinecap="round" opacity={0.8} />}
          {path && path.length > 0 && (
            <circle cx={center(path[path.length - 1]!)[0]} cy={center(path[path.length - 1]!)[1]} r={Math.max(3, size / 6)} fill={pathColor} />
          )}
        </svg>
      )}
    </div>
  );
}
