/**
 * Validation problems, placed where they belong: each problem's path (`blocks[2].body[0].width`)
 * names a field of a block, a block itself, or the document; the form shows it there.
 */
import { pathSegments, type Problem } from '../../../shared/protocol';

export class ProblemIndex {
  private readonly byPath = new Map<string, Problem[]>();

  constructor(readonly all: readonly Problem[]) {
    for (const p of all) {
      const list = this.byPath.get(p.path);
      if (list) list.push(p);
      else this.byPath.set(p.path, [p]);
    }
  }

  /** Problems whose path is exactly this one. */
  at(path: string): Problem[] {
    return this.byPath.get(path) ?? [];
  }

  /** Problems at this path or inside it (`values` takes `values[2]`; `read` takes `read.voltage`). */
  within(path: string): Problem[] {
    const out: Problem[] = [];
    for (const [key, list] of this.byPath) if (key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`)) out.push(...list);
    return out;
  }

  /**
   * Problems of a block that no field of its form shows: the block's own (an until with neither
   * threshold nor relative), unknown fields, anything not claimed. Problems of blocks in its body
   * are theirs, not its.
   */
  unclaimed(blockPath: string, claimed: readonly string[]): Problem[] {
    const out: Problem[] = [];
    const body = `${blockPath}.body[`;
    for (const [key, list] of this.byPath) {
      if (key !== blockPath && !key.startsWith(`${blockPath}.`) && !key.startsWith(`${blockPath}[`)) continue;
      if (key.startsWith(body)) continue;
      if (claimed.some((c) => key === c || key.startsWith(`${c}.`) || key.startsWith(`${c}[`))) continue;
      out.push(...list);
    }
    return out;
  }

  get count(): number {
    return this.all.length;
  }

  /** Problems that break a safety limit. */
  get limits(): Problem[] {
    return this.all.filter((p) => p.code === 'limit');
  }
}

/** The block path a problem belongs to ('blocks[2].body[0]'), or null for the document's own. */
export function blockOfPath(path: string): string | null {
  const segments = pathSegments(path);
  if (segments[0] !== 'blocks' || typeof segments[1] !== 'number') return null;
  let out = `blocks[${segments[1]}]`;
  let k = 2;
  while (segments[k] === 'body' && typeof segments[k + 1] === 'number') {
    out += `.body[${segments[k + 1] as number}]`;
    k += 2;
  }
  return out;
}

/** A problem's message as a sentence: "Amplitude 6 V exceeds the limit of 5 V (max |V|)." */
export function sentence(message: string): string {
  const t = message.trim();
  if (t === '') return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/u.test(first) ? first : `${first}.`;
}

/** A DOM id for the input that edits `path`, so a problem in a list can focus its field. */
export function fieldId(path: string): string {
  return `pf-${path.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
}
