/**
 * One environment of the set-up: the maze (click cells to toggle walls, drag the start and the
 * goal), its size, rewards, step cap and slip, and — for the dynamic variant — when it changes
 * (every N episodes, or at listed episodes) and what each change does (goal moved, walls added or
 * removed), edited on the same grid.
 */
import { useId, useState } from 'react';
import type { Cell } from '../../../shared/rl';
import {
  clipVariant,
  getAt,
  moveMark,
  moveVariantMark,
  parseEpisodeList,
  pathText,
  resizeLayout,
  safeApply,
  shortestOf,
  toggleVariantWall,
  toggleWall,
  type Draft,
  type DraftCheck,
  type Json,
  type Path,
  type VariantJson,
} from './draft';
import { NumberField, Problems, Provenance, sentence, TextField } from './fields';
import { MazeView } from './MazeView';

type Tool = 'wall' | 'start' | 'goal';

interface Props {
  index: number;
  draft: Draft;
  check: DraftCheck;
  onChange: (path: Path, value: Json | undefined) => void;
  onToggle: (on: boolean) => void;
}

export function EnvironmentEditor({ index, draft, check, onChange, onToggle }: Props) {
  const base: Path = ['environments', index];
  const env = getAt(draft.doc, base) as { id: string; title: string; kind: string; maze: { layout: string[] }; variants?: VariantJson[]; schedule?: { every?: number; at?: number[] }; episodes?: number } | undefined;
  const [tool, setTool] = useState<Tool>('wall');
  const [variantAt, setVariantAt] = useState(-1);
  const toolName = useId();
  if (!env) return null;
  const layout = env.maze.layout;
  const rows = layout.length;
  const cols = layout[0]?.length ?? 0;
  const dynamic = env.kind === 'dynamic-maze';
  const variants = env.variants ?? [];
  const v = dynamic && variantAt >= 0 && variantAt < variants.length ? variantAt : -1;
  const variant = v >= 0 ? variants[v]! : null;
  const shown = variant ? safeApply(layout, variant) : layout;
  const shortest = shortestOf(shown);
  const layoutPath: Path = [...base, 'maze', 'layout'];
  const setLayout = (next: string[]) => onChange(layoutPath, next);
  const setVariant = (next: VariantJson) => onChange([...base, 'variants', v], next as unknown as Json);

  const onCell = (cell: Cell) => {
    if (variant) {
      if (tool === 'wall') setVariant(toggleVariantWall(layout, variant, cell));
      else setVariant(moveVariantMark(layout, variant, tool === 'start' ? 'S' : 'G', cell));
      return;
    }
    if (tool === 'wall') setLayout(toggleWall(layout, cell));
    else setLayout(moveMark(layout, tool === 'start' ? 'S' : 'G', cell));
  };
  const onDragMark = (mark: 'S' | 'G', to: Cell) => {
    if (variant) setVariant(moveVariantMark(layout, variant, mark, to));
    else setLayout(moveMark(layout, mark, to));
  };

  const resize = (r: number, c: number) => {
    if (!(Number.isInteger(r) && Number.isInteger(c) && r >= 2 && c >= 2 && r <= 30 && c <= 30)) return;
    onChange(layoutPath, resizeLayout(layout, r, c));
    if (dynamic) onChange([...base, 'variants'], variants.map((x) => clipVariant(x, r, c)) as unknown as Json);
  };

  const layoutProblems = [...(check.byPath.get(pathText(layoutPath)) ?? []), ...(check.byPath.get(pathText([...base, 'maze'])) ?? [])];
  const variantProblems = v >= 0 ? [...check.byPath.entries()].filter(([p]) => p.startsWith(pathText([...base, 'variants', v]))).flatMap(([, m]) => m) : [];
  const schedule = env.schedule ?? { every: 100 };
  const scheduleKind = 'at' in schedule && schedule.at !== undefined ? 'at' : 'every';
  const on = draft.environmentsOn[index] ?? false;

  return (
    <section className={`rl-env${on ? '' : ' is-off'}`} aria-label={`Environment ${env.title}`}>
      <div className="rl-env-head">
        <label className="rl-check">
          <input type="checkbox" checked={on} onChange={(e) => onToggle(e.target.checked)} /> <strong>{env.title}</strong>
        </label>
        <span className="muted">{dynamic ? 'dynamic maze' : 'static maze'}</span>
      </div>
      {on && (
        <>
          {dynamic && (
            <div className="rl-tabs" role="tablist" aria-label="Maze phases">
              <button type="button" role="tab" aria-selected={v < 0} className={v < 0 ? 'active' : ''} onClick={() => setVariantAt(-1)}>
                Base maze
              </button>
              {variants.map((_, k) => (
                <button key={k} type="button" role="tab" aria-selected={v === k} className={v === k ? 'active' : ''} onClick={() => setVariantAt(k)}>
                  Change {k + 1}
                </button>
              ))}
              <button
                type="button"
                className="small"
                title="Add a change: the maze the next phase switches to"
                onClick={() => {
                  onChange([...base, 'variants'], [...variants, {}] as unknown as Json);
                  setVariantAt(variants.length);
                }}
              >
                + change
              </button>
              {v >= 0 && variants.length > 1 && (
                <button
                  type="button"
                  className="small"
                  onClick={() => {
                    onChange([...base, 'variants'], variants.filter((_, k) => k !== v) as unknown as Json);
                    setVariantAt(-1);
                  }}
                >
                  Remove change {v + 1}
                </button>
              )}
            </div>
          )}
          <div className="rl-maze-edit">
            <div>
              <div className="rl-toolbar" role="radiogroup" aria-label="Maze tool">
                {(['wall', 'start', 'goal'] as const).map((t) => (
                  <label key={t} className={`rl-tool${tool === t ? ' active' : ''}`}>
                    <input type="radio" name={toolName} value={t} checked={tool === t} onChange={() => setTool(t)} />
                    {t === 'wall' ? 'Walls' : t === 'start' ? 'Start S' : 'Goal G'}
                  </label>
                ))}
                <Provenance draft={draft} path={layoutPath} />
              </div>
              <MazeView
                layout={shown}
                editing={{ onCell, onDragMark }}
                added={variant?.addWalls ?? []}
                removed={variant?.removeWalls ?? []}
                label={`Maze ${env.title}${variant ? `, change ${v + 1}` : ''}: ${rows} rows by ${cols} columns`}
                testId={`maze-editor-${env.id}`}
                maxWidth={320}
                maxCell={28}
              />
              <p className="rl-hint">
                {variant
                  ? 'Click toggles a wall relative to the base maze (added walls are outlined, removed ones dotted); drag S or G to move them in this phase.'
                  : 'Click a cell to toggle a wall; drag S or G (or pick the tool and click). Arrow keys move between cells.'}{' '}
                {shortest === null ? <span className="error-text">The goal cannot be reached.</span> : <span>Shortest path: {shortest} steps.</span>}
              </p>
              <Problems id={`env-${index}-layout`} messages={[...layoutProblems, ...variantProblems]} />
            </div>
            <div className="rl-env-fields">
              <div className="rl-size">
                <label>
                  Rows{' '}
                  <input type="number" min={2} max={30} value={rows} onChange={(e) => resize(Number(e.target.value), cols)} aria-label={`Rows of ${env.title}`} />
                </label>
                <label>
                  Columns{' '}
                  <input type="number" min={2} max={30} value={cols} onChange={(e) => resize(rows, Number(e.target.value))} aria-label={`Columns of ${env.title}`} />
                </label>
              </div>
              <NumberField label="Episodes" path={[...base, 'episodes']} draft={draft} check={check} onChange={onChange} optional hint={env.episodes === undefined ? 'Empty: the experiment’s episode count.' : undefined} />
              <NumberField label="Step cap" path={[...base, 'maze', 'stepCap']} draft={draft} check={check} onChange={onChange} />
              <NumberField label="Slip probability" path={[...base, 'maze', 'slip']} draft={draft} check={check} onChange={onChange} />
              <NumberField label="Reward per step" path={[...base, 'maze', 'rewards', 'step']} draft={draft} check={check} onChange={onChange} />
              <NumberField label="Reward at the goal" path={[...base, 'maze', 'rewards', 'goal']} draft={draft} check={check} onChange={onChange} />
              <NumberField label="Reward for a wall" path={[...base, 'maze', 'rewards', 'wall']} draft={draft} check={check} onChange={onChange} />
              {dynamic && (
                <fieldset className="rl-schedule">
                  <legend>
                    The maze changes <Provenance draft={draft} path={[...base, 'schedule']} />
                  </legend>
                  <label className="rl-check">
                    <input type="radio" checked={scheduleKind === 'every'} onChange={() => onChange([...base, 'schedule'], { every: typeof schedule.at?.[0] === 'number' ? schedule.at[0] : 100 })} /> every N episodes
                  </label>
                  <label className="rl-check">
                    <input type="radio" checked={scheduleKind === 'at'} onChange={() => onChange([...base, 'schedule'], { at: typeof schedule.every === 'number' ? [schedule.every] : [100] })} /> at listed episodes
                  </label>
                  {scheduleKind === 'every' ? (
                    <NumberField label="N (episodes)" path={[...base, 'schedule', 'every']} draft={draft} check={check} onChange={onChange} />
                  ) : (
                    <TextField label="Episodes (0-based)" path={[...base, 'schedule', 'at']} draft={draft} check={check} onChange={onChange} parse={parseEpisodeList} hint="e.g. 300, 600" />
                  )}
                  <p className="rl-hint">
                    Phase 0 is the base maze; each change applies in turn (then they repeat).
                  </p>
                  <Problems id={`env-${index}-schedule`} messages={(check.byPath.get(pathText([...base, 'schedule'])) ?? []).map(sentence)} />
                </fieldset>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
