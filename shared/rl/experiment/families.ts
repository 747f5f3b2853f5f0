import type { StrategySpec } from './schema';

/**
 * Strategy families: what "the best constant" or "the best decay" is chosen among, and what
 * `workbench tune` gives each the same budget for. A decay restarted at each change is its own
 * family (an oracle: it is told of changes); a device strategy's family is its device, with any
 * ablation.
 */
export const DECAY_FAMILIES = ['exponential', 'inverse-time', 'polynomial', 'linear'] as const;

export function strategyFamily(s: StrategySpec): string {
  switch (s.kind) {
    case 'constant':
    case 'success-gated':
      return s.kind;
    case 'device': {
      const device = typeof s.device === 'string' ? s.device : String((s.device as { name?: unknown }).name ?? 'custom');
      return `device:${device}${s.ablate?.length ? `-without-${s.ablate.join('-')}` : ''}`;
    }
    default:
      return s.restart === 'at-change' ? `${s.kind}-restarted` : s.kind;
  }
}

/** Families that know something no agent could (the changes of the task). */
export function isOracleFamily(family: string): boolean {
  return family.endsWith('-restarted');
}
