/**
 * The block list: every block as a card (header + parameter form), repeat/sweep/until bodies
 * nested, drop slots between blocks for native drag and drop, and keyboard operation on the
 * headers (arrows move the selection, Alt+arrows move the block, Delete removes it, Left/Right
 * collapse and expand, Enter goes to its first field).
 */
import { createContext, useContext, useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { BLOCK_KINDS, type BlockKind, type SweepParameter } from '../../../shared/protocol';
import { BlockForm, claimedPaths, type FormContext } from './BlockForm';
import { blockPath, isContainer, isWithin, locOf, type EBlock, type EDoc } from './model';
import { sentence, type ProblemIndex } from './problems';
import type { EditorAction } from './state';
import { KIND_TITLES, summarize } from './summary';

export const BLOCK_MIME = 'application/x-workbench-block';
export const KIND_MIME = 'application/x-workbench-kind';

interface DragState {
  /** The block being dragged, or 'palette' for a new block from the palette; null when none. */
  dragging: string | null;
  setDragging: (d: string | null) => void;
}

export const DragContext = createContext<DragState>({ dragging: null, setDragging: () => undefined });

interface TreeContext {
  doc: EDoc;
  selected: string | null;
  collapsed: ReadonlySet<string>;
  problems: ProblemIndex;
  readOnly: boolean;
  dispatch: (a: EditorAction) => void;
  form: Omit<FormContext, 'bound'>;
}

const Tree = createContext<TreeContext | null>(null);

function useTree(): TreeContext {
  const t = useContext(Tree);
  if (!t) throw new Error('useTree outside BlockTree');
  return t;
}

function isKind(x: string): x is BlockKind {
  return (BLOCK_KINDS as readonly string[]).includes(x);
}

export function BlockTree(props: {
  doc: EDoc;
  selected: string | null;
  collapsed: ReadonlySet<string>;
  problems: ProblemIndex;
  readOnly: boolean;
  dispatch: (a: EditorAction) => void;
  readDefaults: { voltage: string; integration: string };
}) {
  const { doc, selected, collapsed, problems, readOnly, dispatch } = props;
  const focusAfter = useRef(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!focusAfter.current) return;
    focusAfter.current = false;
    if (selected === null) return;
    rootRef.current?.querySelector<HTMLElement>(`[data-block-head="${CSS.escape(selected)}"]`)?.focus();
  }, [selected, doc, collapsed]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const id = target.dataset.blockHead;
    if (id === undefined) return; // keys typed into fields are theirs
    const mod = e.ctrlKey || e.metaKey;
    const act = (a: EditorAction) => {
      e.preventDefault();
      focusAfter.current = true;
      dispatch(a);
    };
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowDown': {
        const direction = e.key === 'ArrowUp' ? -1 : 1;
        if (e.altKey) {
          if (!readOnly) act({ type: 'step', id, direction });
          else e.preventDefault();
        } else if (!mod) act({ type: 'selectStep', direction });
        return;
      }
      case 'Home':
        act({ type: 'selectStep', direction: 'first' });
        return;
      case 'End':
        act({ type: 'selectStep', direction: 'last' });
        return;
      case 'ArrowRight':
        act({ type: 'collapse', id, collapsed: false });
        return;
      case 'ArrowLeft': {
        if (!collapsed.has(id)) act({ type: 'collapse', id, collapsed: true });
        else {
          const parent = target.closest('[data-parent-id]')?.getAttribute('data-parent-id');
          if (parent) act({ type: 'select', id: parent });
        }
        return;
      }
      case 'Delete':
      case 'Backspace':
        if (!readOnly && !mod) act({ type: 'remove', id });
        return;
      case 'Enter':
      case 'F2': {
        const first = target.closest('li')?.querySelector<HTMLElement>('.pe-block-form input, .pe-block-form select');
        if (first) {
          e.preventDefault();
          if (collapsed.has(id)) dispatch({ type: 'collapse', id, collapsed: false });
          requestAnimationFrame(() => target.closest('li')?.querySelector<HTMLElement>('.pe-block-form input, .pe-block-form select')?.focus());
        } else if (collapsed.has(id)) act({ type: 'collapse', id, collapsed: false });
        return;
      }
      default:
    }
  };

  const ctx: TreeContext = {
    doc,
    selected,
    collapsed,
    problems,
    readOnly,
    dispatch,
    form: { problems, disabled: readOnly, readDefaults: props.readDefaults, setField: (id, key, value) => dispatch({ type: 'setField', id, key, value }), seal: () => dispatch({ type: 'seal' }) },
  };
  const blocks = Array.isArray(doc.blocks) ? doc.blocks : [];
  return (
    <Tree.Provider value={ctx}>
      <div className="pe-block-tree" ref={rootRef} onKeyDown={onKeyDown} data-testid="block-tree">
        <BlockList blocks={blocks} parentId={null} numbering="" bound={new Set()} />
      </div>
    </Tree.Provider>
  );
}

function BlockList({ blocks, parentId, numbering, bound }: { blocks: EBlock[]; parentId: string | null; numbering: string; bound: ReadonlySet<SweepParameter> }) {
  const { readOnly } = useTree();
  if (blocks.length === 0) {
    return (
      <ol className="pe-block-list" aria-label={parentId === null ? 'Blocks' : 'Body'}>
        <DropSlot parentId={parentId} index={0} empty={parentId === null ? 'top' : 'body'} readOnly={readOnly} />
      </ol>
    );
  }
  return (
    <ol className="pe-block-list" aria-label={parentId === null ? 'Blocks' : 'Body'}>
      <DropSlot parentId={parentId} index={0} readOnly={readOnly} />
      {blocks.map((b, k) => {
        const num = numbering === '' ? String(k + 1) : `${numbering}.${k + 1}`;
        return <BlockCard key={b.id ?? `#${k}`} block={b} parentId={parentId} index={k} numbering={num} bound={bound} />;
      })}
    </ol>
  );
}

function BlockCard({ block, parentId, index, numbering, bound }: { block: EBlock; parentId: string | null; index: number; numbering: string; bound: ReadonlySet<SweepParameter> }) {
  const { selected, collapsed, problems, readOnly, dispatch, form } = useTree();
  const { setDragging } = useContext(DragContext);
  const id = block.id ?? '';
  const loc = numbering.split('.').map((n) => Number(n) - 1);
  const path = blockPath(loc);
  const isSelected = selected === id;
  const isCollapsed = collapsed.has(id);
  const kind = typeof block.kind === 'string' && isKind(block.kind) ? block.kind : undefined;
  if (!kind) {
    return (
      <li className="pe-block block-unknown">
        <div className="pe-block-head">Block {numbering} is not a block the editor knows; see the problems list.</div>
      </li>
    );
  }
  const headerProblems = problems.unclaimed(path, claimedPaths(block, path));
  const allProblems = problems.within(path).length;
  const summary = summarize(block);
  const title = KIND_TITLES[kind];
  const innerBound = block.kind === 'sweep' && block.parameter ? new Set([...bound, block.parameter]) : bound;

  const onDragStart = (e: DragEvent<HTMLDivElement>) => {
    if (readOnly) {
      e.preventDefault();
      return;
    }
    e.stopPropagation();
    e.dataTransfer.setData(BLOCK_MIME, id);
    e.dataTransfer.setData('text/plain', `${title}: ${summary}`);
    e.dataTransfer.effectAllowed = 'move';
    setDragging(id);
  };

  return (
    <>
      <li
        className={`pe-block pe-kind-${kind}${isSelected ? ' pe-selected' : ''}${allProblems > 0 ? ' pe-has-problems' : ''}`}
        data-testid={`block-${id}`}
        data-kind={kind}
        data-parent-id={parentId ?? undefined}
        onFocus={(e) => {
          e.stopPropagation();
          if (!isSelected) dispatch({ type: 'select', id });
        }}
      >
        <div
          className="pe-block-head"
          data-block-head={id}
          tabIndex={isSelected || (selected === null && index === 0 && parentId === null) ? 0 : -1}
          draggable={!readOnly}
          onDragStart={onDragStart}
          onDragEnd={() => setDragging(null)}
          onClick={() => dispatch({ type: 'select', id })}
          aria-label={`${title} block ${numbering}: ${block.label ? `${block.label}, ` : ''}${summary}${allProblems > 0 ? `, ${allProblems} problem${allProblems === 1 ? '' : 's'}` : ''}`}
          role="group"
          aria-current={isSelected || undefined}
        >
          {!readOnly && (
            <span className="pe-drag-handle" aria-hidden="true" title="Drag to move">
              ⠿
            </span>
          )}
          <button
            type="button"
            className="pe-twisty"
            tabIndex={-1}
            aria-expanded={!isCollapsed}
            aria-label={`Show the fields of block ${numbering}`}
            onClick={(e) => {
              e.stopPropagation();
              dispatch({ type: 'collapse', id, collapsed: !isCollapsed });
            }}
          >
            {isCollapsed ? '▸' : '▾'}
          </button>
          <span className="pe-block-num mono">{numbering}</span>
          <span className={`pe-kind-badge pe-kind-badge-${kind}`}>{title}</span>
          <span className="pe-block-summary">
            {block.label ? <strong>{block.label} </strong> : null}
            <span className="muted">{summary}</span>
          </span>
          {allProblems > 0 && (
            <span className="pe-problem-count" title={`${allProblems} problem${allProblems === 1 ? '' : 's'} in this block`}>
              {allProblems}
            </span>
          )}
          {!readOnly && (
            <span className="pe-block-actions">
              <BlockAction title="Duplicate (Ctrl+D)" label={`Duplicate block ${numbering}`} icon="M8 8h11v11H8zM5 16V5h11" onClick={() => dispatch({ type: 'duplicate', id })} />
              <BlockAction title="Delete (Delete)" label={`Delete block ${numbering}`} icon="M6 6l12 12M18 6 6 18" onClick={() => dispatch({ type: 'remove', id })} />
            </span>
          )}
        </div>
        {headerProblems.length > 0 && (
          <ul className="pe-field-errors pe-block-errors">
            {headerProblems.map((p, k) => (
              <li key={k}>{sentence(p.message)}</li>
            ))}
          </ul>
        )}
        {!isCollapsed && <BlockForm block={block} path={path} ctx={{ ...form, bound }} />}
        {isContainer(block) && !isCollapsed && (
          <div className="pe-block-body">
            <BlockList blocks={Array.isArray(block.body) ? block.body : []} parentId={id} numbering={numbering} bound={innerBound} />
            {problems.at(`${path}.body`).length > 0 && Array.isArray(block.body) && block.body.length > 0 && (
              <ul className="pe-field-errors">
                {problems.at(`${path}.body`).map((p, k) => (
                  <li key={k}>{sentence(p.message)}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </li>
      <DropSlot parentId={parentId} index={index + 1} readOnly={readOnly} />
    </>
  );
}

function SmallIcon({ d }: { d: string }) {
  return (
    <svg width={15} height={15} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={d} />
    </svg>
  );
}

function DropSlot({ parentId, index, empty, readOnly }: { parentId: string | null; index: number; empty?: 'top' | 'body'; readOnly: boolean }) {
  const { doc, dispatch, problems } = useTree();
  const { dragging, setDragging } = useContext(DragContext);
  const [over, setOver] = useState(false);
  const blocked = dragging !== null && dragging !== 'palette' && parentId !== null && isWithin(doc, parentId, dragging);
  const accepts = (e: DragEvent) => !readOnly && !blocked && (e.dataTransfer.types.includes(BLOCK_MIME) || e.dataTransfer.types.includes(KIND_MIME));
  const onDragOver = (e: DragEvent<HTMLLIElement>) => {
    if (!accepts(e)) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes(BLOCK_MIME) ? 'move' : 'copy';
    if (!over) setOver(true);
  };
  const onDrop = (e: DragEvent<HTMLLIElement>) => {
    setOver(false);
    if (!accepts(e)) return;
    e.preventDefault();
    e.stopPropagation();
    const id = e.dataTransfer.getData(BLOCK_MIME);
    const kind = e.dataTransfer.getData(KIND_MIME);
    if (id) dispatch({ type: 'move', id, parentId, index });
    else if (isKind(kind)) dispatch({ type: 'add', kind, parentId, index });
    setDragging(null);
  };
  let bodyProblem: string | undefined;
  if (empty === 'body' && parentId !== null) {
    const path = `${blockPathOf(doc, parentId)}.body`;
    bodyProblem = problems.at(path)[0]?.message;
  }
  return (
    <li
      className={`pe-drop-slot${dragging !== null && !blocked ? ' active' : ''}${over ? ' pe-over' : ''}${empty ? ' pe-empty' : ''}`}
      data-testid={`drop-${parentId ?? 'top'}-${index}`}
      aria-hidden={empty ? undefined : true}
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {empty === 'top' && <span>No blocks yet. Click a block kind above to add it, or drag it here.</span>}
      {empty === 'body' && (
        <span className={bodyProblem ? 'error-text' : undefined}>
          {bodyProblem ? `${sentence(bodyProblem)} ` : ''}Drag blocks here, or select this block and click a block kind.
        </span>
      )}
    </li>
  );
}

function blockPathOf(doc: EDoc, id: string): string {
  const loc = locOf(doc, id);
  return loc ? blockPath(loc) : '';
}

/** A block's row button: out of the tab order (the tree's keys do the same), not a row click. */
function BlockAction({ title, label, icon, onClick }: { title: string; label: string; icon: string; onClick: () => void }) {
  return (
    <button
      type="button"
      className="pe-icon-button"
      tabIndex={-1}
      title={title}
      aria-label={label}
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
    >
      <SmallIcon d={icon} />
    </button>
  );
}
