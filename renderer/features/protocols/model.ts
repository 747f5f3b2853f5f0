/**
 * The editor's document: a ProtocolInput kept as immutable data. Every edit returns a new document
 * that shares the untouched parts with the old one, so undo is a stack of documents and "unsaved"
 * is a reference comparison.
 *
 * Blocks are addressed by id (every block gets one when a document is loaded: the document format
 * reserves `id` for exactly this) and located by an index path, `[2, 0]` for blocks[2].body[0].
 * Values are kept as the person typed them ("2 V", "10m"); validateProtocol reads them.
 */
import {
  PROTOCOL_FORMAT,
  PROTOCOL_VERSION,
  childPath,
  type BlockKind,
  type BlockOf,
  type ProtocolInput,
  type Quantity,
} from '../../../shared/protocol';

export type EBlock = BlockOf<Quantity>;
export type EDoc = ProtocolInput;
export type ContainerBlock = Extract<EBlock, { body: EBlock[] }>;
export type Loc = readonly number[];

export const CONTAINER_KINDS: readonly BlockKind[] = ['repeat', 'sweep', 'until'];

export function isContainer(b: EBlock): b is ContainerBlock {
  return b.kind === 'repeat' || b.kind === 'sweep' || b.kind === 'until';
}

export function emptyDocument(name = 'Untitled protocol'): EDoc {
  return { format: PROTOCOL_FORMAT, version: PROTOCOL_VERSION, name, blocks: [] };
}

/** The path validation problems use: [2, 0] → 'blocks[2].body[0]'. */
export function blockPath(loc: Loc): string {
  let path = 'blocks';
  loc.forEach((k, depth) => {
    path = childPath(depth === 0 ? path : childPath(path, 'body'), k);
  });
  return path;
}

function childrenOf(b: EBlock): EBlock[] | undefined {
  return isContainer(b) ? (Array.isArray(b.body) ? b.body : []) : undefined;
}

export function blockAt(doc: EDoc, loc: Loc): EBlock | undefined {
  let list: EBlock[] | undefined = doc.blocks;
  let block: EBlock | undefined;
  for (const k of loc) {
    if (!list) return undefined;
    block = list[k];
    if (!block) return undefined;
    list = childrenOf(block);
  }
  return block;
}

/** The index path of the block with this id, or undefined. */
export function locOf(doc: EDoc, id: string): number[] | undefined {
  const walk = (list: EBlock[], prefix: number[]): number[] | undefined => {
    for (let k = 0; k < list.length; k++) {
      const b = list[k]!;
      if (b.id === id) return [...prefix, k];
      const body = childrenOf(b);
      if (body) {
        const found = walk(body, [...prefix, k]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(doc.blocks ?? [], []);
}

/** Replaces the list of blocks at `parent` (null: the top level) with fn(list). */
function mapList(doc: EDoc, parent: Loc | null, fn: (list: EBlock[]) => EBlock[]): EDoc {
  if (parent === null || parent.length === 0) return { ...doc, blocks: fn(doc.blocks ?? []) };
  return mapBlock(doc, parent, (b) => (isContainer(b) ? ({ ...b, body: fn(b.body ?? []) } as EBlock) : b));
}

/** Replaces the block at `loc` with fn(block). */
export function mapBlock(doc: EDoc, loc: Loc, fn: (b: EBlock) => EBlock): EDoc {
  if (loc.length === 0) return doc;
  const [head, ...rest] = loc as [number, ...number[]];
  const walk = (list: EBlock[], k: number, tail: number[]): EBlock[] => {
    const b = list[k];
    if (!b) return list;
    let next: EBlock;
    if (tail.length === 0) next = fn(b);
    else if (isContainer(b)) {
      const [h, ...t] = tail as [number, ...number[]];
      const body = b.body ?? [];
      const inner = walk(body, h, t);
      if (inner === body) return list;
      next = { ...b, body: inner } as EBlock;
    } else return list;
    if (next === b) return list;
    const out = list.slice();
    out[k] = next;
    return out;
  };
  const blocks = walk(doc.blocks ?? [], head, rest);
  return blocks === doc.blocks ? doc : { ...doc, blocks };
}

export function insertBlock(doc: EDoc, parentId: string | null, index: number, block: EBlock): EDoc {
  const parent = parentId === null ? null : locOf(doc, parentId);
  if (parentId !== null && !parent) return doc;
  return mapList(doc, parent ?? null, (list) => {
    const out = list.slice();
    out.splice(Math.max(0, Math.min(index, out.length)), 0, block);
    return out;
  });
}

export function removeBlock(doc: EDoc, id: string): EDoc {
  const loc = locOf(doc, id);
  if (!loc) return doc;
  return mapList(doc, loc.slice(0, -1), (list) => list.filter((_, k) => k !== loc[loc.length - 1]));
}

/** Whether `id` is `ancestor` or inside it. */
export function isWithin(doc: EDoc, id: string, ancestor: string): boolean {
  const a = locOf(doc, ancestor);
  const b = locOf(doc, id);
  return !!a && !!b && b.length >= a.length && a.every((k, i) => b[i] === k);
}

/**
 * Moves a block to `index` in the body of `parentId` (null: the top level), the index counted
 * before the block is taken out. A block cannot go into itself.
 */
export function moveBlock(doc: EDoc, id: string, parentId: string | null, index: number): EDoc {
  const from = locOf(doc, id);
  if (!from) return doc;
  if (parentId !== null && isWithin(doc, parentId, id)) return doc;
  const block = blockAt(doc, from)!;
  const fromParent = from.slice(0, -1);
  const fromIndex = from[from.length - 1]!;
  const target = parentId === null ? [] : locOf(doc, parentId);
  if (!target) return doc;
  const sameList = target.length === fromParent.length && target.every((k, i) => k === fromParent[i]);
  if (sameList && (index === fromIndex || index === fromIndex + 1)) return doc; // dropped where it already is
  const adjusted = sameList && index > fromIndex ? index - 1 : index;
  const without = removeBlock(doc, id);
  return insertBlock(without, parentId, adjusted, block);
}

/** The blocks beside this one (its parent's body, or the top level). */
export function siblingsOf(doc: EDoc, id: string): EBlock[] {
  const place = placeOf(doc, id);
  if (!place) return [];
  if (place.parentId === null) return doc.blocks ?? [];
  const parent = blockById(doc, place.parentId);
  return parent ? (childrenOf(parent) ?? []) : [];
}

/** Where a block sits: its parent's id (null at the top level) and its index there. */
export function placeOf(doc: EDoc, id: string): { parentId: string | null; index: number; siblings: number } | undefined {
  const loc = locOf(doc, id);
  if (!loc) return undefined;
  const parentLoc = loc.slice(0, -1);
  const parent = parentLoc.length === 0 ? undefined : blockAt(doc, parentLoc);
  const siblings = parent ? (childrenOf(parent)?.length ?? 0) : (doc.blocks ?? []).length;
  return { parentId: parent?.id ?? null, index: loc[loc.length - 1]!, siblings };
}

/**
 * Alt+ArrowUp / Alt+ArrowDown: one step in visual order. Up: into the end of an expanded container
 * just above, else swap with the block above, else out of the body to before its container. Down
 * mirrors it.
 */
export function stepBlock(doc: EDoc, id: string, direction: -1 | 1, collapsed: ReadonlySet<string>): EDoc {
  const place = placeOf(doc, id);
  if (!place) return doc;
  const siblings = place.parentId === null ? (doc.blocks ?? []) : (childrenOf(blockById(doc, place.parentId)!) ?? []);
  const neighbour = siblings[place.index + direction];
  if (neighbour) {
    if (isContainer(neighbour) && !collapsed.has(neighbour.id ?? '') && neighbour.id !== undefined) {
      const into = direction === -1 ? (neighbour.body ?? []).length : 0;
      return moveBlock(doc, id, neighbour.id, into);
    }
    return moveBlock(doc, id, place.parentId, direction === -1 ? place.index - 1 : place.index + 2);
  }
  if (place.parentId === null) return doc;
  const outer = placeOf(doc, place.parentId)!;
  return moveBlock(doc, id, outer.parentId, direction === -1 ? outer.index : outer.index + 1);
}

export function blockById(doc: EDoc, id: string): EBlock | undefined {
  const loc = locOf(doc, id);
  return loc ? blockAt(doc, loc) : undefined;
}

/** Every id in the document. */
export function allIds(doc: EDoc): Set<string> {
  const ids = new Set<string>();
  const walk = (list: EBlock[]) => {
    for (const b of list) {
      if (typeof b.id === 'string') ids.add(b.id);
      const body = childrenOf(b);
      if (body) walk(body);
    }
  };
  walk(Array.isArray(doc.blocks) ? doc.blocks : []);
  return ids;
}

/** 'train-3': the kind and the first number not yet used. */
export function freshId(kind: string, taken: Set<string>): string {
  for (let k = 1; ; k++) {
    const id = `${kind}-${k}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** A deep copy of a block with fresh ids for it and everything in it. */
export function cloneWithFreshIds(block: EBlock, taken: Set<string>): EBlock {
  const copy = { ...block, id: freshId(block.kind, taken) } as EBlock;
  if (isContainer(copy)) copy.body = (copy.body ?? []).map((b) => cloneWithFreshIds(b, taken));
  return copy;
}

export function duplicateBlock(doc: EDoc, id: string): { doc: EDoc; copyId?: string } {
  const place = placeOf(doc, id);
  const block = blockById(doc, id);
  if (!place || !block) return { doc };
  const copy = cloneWithFreshIds(block, allIds(doc));
  return { doc: insertBlock(doc, place.parentId, place.index + 1, copy), copyId: copy.id };
}

/**
 * Gives every block a unique id (the document format reserves ids for the editor), keeping the ids
 * it has. Anything that is not a block object is left alone for validation to report.
 */
export function ensureIds(doc: EDoc): EDoc {
  const taken = new Set<string>();
  const seen = new Set<string>();
  // First pass: the ids already there, so fresh ones never collide with a later block's.
  const collect = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const b of list) {
      if (b && typeof b === 'object' && typeof (b as EBlock).id === 'string') taken.add((b as EBlock).id!);
      if (b && typeof b === 'object') collect((b as { body?: unknown }).body);
    }
  };
  collect(doc.blocks);
  const walk = (list: unknown): unknown => {
    if (!Array.isArray(list)) return list;
    return list.map((b: unknown) => {
      if (!b || typeof b !== 'object' || Array.isArray(b)) return b;
      const block = b as EBlock;
      let id = block.id;
      if (typeof id !== 'string' || id.trim() === '' || seen.has(id)) id = freshId(typeof block.kind === 'string' ? block.kind : 'block', taken);
      seen.add(id);
      const body = (block as { body?: unknown }).body;
      return { ...block, id, ...(body === undefined ? {} : { body: walk(body) }) };
    });
  };
  return { ...doc, blocks: walk(doc.blocks) as EBlock[] };
}

/** The starting values of a new block: the workbench's own, not the paper's (not available to us). */
export function newBlock(kind: BlockKind, taken: Set<string>): EBlock {
  const id = freshId(kind, taken);
  switch (kind) {
    case 'pulse':
      return { kind, id, amplitude: '2 V', width: '10 ms', read: true };
    case 'train':
      return { kind, id, count: 10, amplitude: '2 V', width: '10 ms', period: '1 s', read: true };
    case 'read':
      return { kind, id };
    case 'wait':
      return { kind, id, duration: '10 s' };
    case 'ramp':
      return { kind, id, from: '0.5 V', to: '2 V', step: '0.5 V', width: '10 ms', period: '100 ms', read: true };
    case 'repeat':
      return { kind, id, times: 2, body: [] };
    case 'sweep':
      return { kind, id, parameter: 'amplitude', values: ['1 V', '1.5 V', '2 V'], body: [] };
    case 'until':
      return { kind, id, when: 'below', relative: '50 %', maxIterations: 100, body: [] };
    case 'iv-sweep':
      return { kind, id, points: ['0 V', '1.5 V', '0 V', '-1.5 V', '0 V'], step: '20 mV', dwell: '10 ms', cycles: 1, compliance: { positive: '500 µA', negative: '1 mA' } };
    case 'forming':
      return { kind, id, from: '0.5 V', to: '3.5 V', step: '50 mV', width: '10 ms', compliance: '100 µA', targetCurrent: '100 µA' };
    case 'converge':
      return { kind, id, low: '150 µS', high: '250 µS', setAmplitude: '1.5 V', setWidth: '1 ms', resetAmplitude: '-1.2 V', resetWidth: '30 µs', maxPulses: 100, compliance: { positive: '180 µA' } };
  }
}

/** Sets (or, with undefined, removes) one field of a block. */
export function setBlockField(doc: EDoc, id: string, key: string, value: unknown): EDoc {
  const loc = locOf(doc, id);
  if (!loc) return doc;
  return mapBlock(doc, loc, (b) => {
    const current = (b as unknown as Record<string, unknown>)[key];
    if (current === value) return b;
    const next = { ...b } as Record<string, unknown>;
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next as unknown as EBlock;
  });
}

/** Sets (or removes) a document-level field; `section` for the nested read and limits objects. */
export function setDocField(doc: EDoc, section: 'read' | 'limits' | null, key: string, value: unknown): EDoc {
  if (section === null) {
    const next = { ...doc } as Record<string, unknown>;
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next as unknown as EDoc;
  }
  const inner = { ...((doc[section] as Record<string, unknown> | undefined) ?? {}) };
  if (value === undefined) delete inner[key];
  else inner[key] = value;
  const next = { ...doc } as Record<string, unknown>;
  if (Object.keys(inner).length === 0) delete next[section];
  else next[section] = inner;
  return next as unknown as EDoc;
}

/** The blocks as shown: depth-first, skipping the bodies of collapsed containers. */
export interface VisibleBlock {
  id: string;
  loc: number[];
  depth: number;
  parentId: string | null;
}

export function visibleBlocks(doc: EDoc, collapsed: ReadonlySet<string>): VisibleBlock[] {
  const out: VisibleBlock[] = [];
  const walk = (list: EBlock[], prefix: number[], parentId: string | null) => {
    list.forEach((b, k) => {
      if (!b || typeof b.id !== 'string') return;
      const loc = [...prefix, k];
      out.push({ id: b.id, loc, depth: prefix.length, parentId });
      const body = childrenOf(b);
      if (body && !collapsed.has(b.id)) walk(body, loc, b.id);
    });
  };
  walk(Array.isArray(doc.blocks) ? doc.blocks : [], [], null);
  return out;
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/u;

/**
 * The document as it is saved and exported: text that is only a number becomes a number ("100" →
 * 100) when it reads back the same; everything else stays as typed.
 */
export function tidyDocument(doc: EDoc): EDoc {
  const tidy = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      if (key === 'name' || key === 'description' || key === 'label' || key === 'id' || key === 'kind' || key === 'format' || key === 'parameter' || key === 'when') return value;
      const t = value.trim();
      return PLAIN_NUMBER.test(t) && String(Number(t)) === t ? Number(t) : t;
    }
    if (Array.isArray(value)) return value.map((v) => tidy(v, ''));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = tidy(v, k);
      return out;
    }
    return value;
  };
  return tidy(doc, '') as EDoc;
}
