import { TEXT_LIMITS } from '../contract/limits';
import { MAX_NESTING } from './defaults';
import { BLOCK_FIELDS, BLOCK_KINDS, type Block, type BlockKind } from './document';
import { checkKnownFields, closest, describeJson, isRecord, own, readText } from './fields';
import { KIND_VALIDATORS } from './block-kinds';
import { BlockReader, compact, type BlockContext, type Scope } from './block-reader';
import { childPath } from './problems';
import { addTally, checkBounds, emptyTally, type Tally } from './tally';

export { validateReadSettings, type BlockContext } from './block-reader';
export { describeTotal, type Tally } from './tally';

const KIND_NAMES: Readonly<Record<BlockKind, string>> = {
  pulse: 'a pulse block',
  train: 'a train block',
  read: 'a read block',
  wait: 'a wait block',
  ramp: 'a ramp block',
  repeat: 'a repeat block',
  sweep: 'a sweep block',
  until: 'an until block',
  'iv-sweep': 'an iv-sweep block',
  forming: 'a forming block',
  converge: 'a converge block',
};

/**
 * The blocks of a document, each checked with its path; returns the valid ones and what they add up
 * to. A block that would run longer, or do more, than the workbench's bounds is reported at the
 * innermost block that does so (blocks[0].body[1]), so the message points at the loop to change.
 */
export function validateBlocks(ctx: BlockContext, raw: unknown, path: string): { blocks: Block[]; tally: Tally } {
  return validateBody(ctx, raw, path, { bindings: new Map(), depth: 0 });
}

function validateBody(ctx: BlockContext, raw: unknown, path: string, scope: Scope): { blocks: Block[]; tally: Tally } {
  const tally = emptyTally();
  const blocks: Block[] = [];
  const name = path.endsWith('body') ? 'body' : 'blocks';
  if (raw === undefined) {
    ctx.problems.add(path, 'missing', `missing ${name}: give a list of blocks`);
    return { blocks, tally };
  }
  if (!Array.isArray(raw)) {
    ctx.problems.add(path, 'type', `${name} must be a list of blocks; got ${describeJson(raw)}`);
    return { blocks, tally };
  }
  if (raw.length === 0) {
    ctx.problems.add(path, 'structure', `${name} must have at least one block`);
    return { blocks, tally };
  }
  if (scope.depth > MAX_NESTING) {
    ctx.problems.add(path, 'structure', `blocks are nested more than ${MAX_NESTING} deep`);
    return { blocks, tally };
  }
  // By index, not forEach: a sparse array's holes must be reported, not skipped.
  for (let k = 0; k < raw.length; k++) {
    const result = validateBlock(ctx, raw[k], childPath(path, k), scope);
    if (result.block) blocks.push(result.block);
    addTally(tally, result.tally);
  }
  return { blocks, tally };
}

function validateBlock(ctx: BlockContext, raw: unknown, path: string, scope: Scope): { block?: Block; tally: Tally } {
  if (!isRecord(raw)) {
    ctx.problems.add(path, 'type', `a block must be an object such as {"kind": "pulse", …}; got ${describeJson(raw)}`);
    return { tally: emptyTally() };
  }
  const kind = own(raw, 'kind');
  if (!isBlockKind(kind)) {
    const known = BLOCK_KINDS.join(', ');
    if (kind === undefined) ctx.problems.add(childPath(path, 'kind'), 'missing', `missing kind: give one of ${known}`);
    else {
      const near = typeof kind === 'string' ? closest(kind, BLOCK_KINDS) : undefined;
      const hint = near === undefined ? `expected one of ${known}` : `did you mean '${near}'?`;
      ctx.problems.add(childPath(path, 'kind'), 'type', `unknown block kind ${describeJson(kind)}; ${hint}`);
    }
    return { tally: emptyTally() };
  }
  const id = readText(ctx.problems, raw, 'id', path, { required: false, max: TEXT_LIMITS.name });
  if (id !== undefined) {
    const earlier = ctx.ids.get(id);
    if (id.trim() === '') ctx.problems.add(childPath(path, 'id'), 'range', 'id must not be empty');
    else if (earlier !== undefined) ctx.problems.add(childPath(path, 'id'), 'duplicate-id', `id '${id}' is already used by ${earlier}`);
    else ctx.ids.set(id, path);
  }
  const label = readText(ctx.problems, raw, 'label', path, { required: false, max: TEXT_LIMITS.name });
  checkKnownFields(ctx.problems, raw, path, ['kind', 'id', 'label', ...BLOCK_FIELDS[kind]], KIND_NAMES[kind]);
  const b = new BlockReader(ctx, raw, path, scope, kind, validateBody);
  const { fields, tally } = KIND_VALIDATORS[kind](b);
  checkBounds(ctx.problems, tally, path, `this ${kind} block`);
  const block = compact({ kind, id, label, ...fields }) as unknown as Block;
  return { block, tally };
}

function isBlockKind(x: unknown): x is BlockKind {
  return typeof x === 'string' && (BLOCK_KINDS as readonly string[]).includes(x);
}
