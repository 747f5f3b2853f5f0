/**
 * The strategies to compare: a checkbox per strategy of the preset (none is hidden: the best-tuned
 * baseline stays one click away), its parameters editable, and which one is under test and which
 * is the conventional baseline.
 */
import { useState } from 'react';
import { builtInPresets } from '../../../shared/device';
import { getAt, type Draft, type DraftCheck, type Json, type JsonObject, type Path } from './draft';
import { NumberField, Problems, Provenance, SelectField } from './fields';
import { strategyColor } from './colors';

interface Props {
  draft: Draft;
  check: DraftCheck;
  onChange: (path: Path, value: Json | undefined) => void;
  onToggle: (index: number, on: boolean) => void;
  onDuplicate: (index: number) => void;
  onRemove: (index: number) => void;
}

interface StrategyJson {
  id: string;
  name: string;
  kind: string;
  notes?: string;
  [key: string]: Json | undefined;
}

const KIND_TITLES: Record<string, string> = {
  constant: 'constant α',
  exponential: 'exponential decay',
  'inverse-time': 'inverse time',
  polynomial: 'polynomial 1/nʷ',
  linear: 'linear',
  'success-gated': 'success-gated software (no device)',
  device: 'device-driven',
};

const oracle = (s: StrategyJson) => (s.restart === 'at-change' ? ', restarted at each change (oracle)' : '');

export function StrategyEditor({ draft, check, onChange, onToggle, onDuplicate, onRemove }: Props) {
  const strategies = (draft.doc.strategies as unknown as StrategyJson[]) ?? [];
  const originIds = new Set(((draft.origin.strategies as unknown as StrategyJson[]) ?? []).map((s) => s.id));
  const [open, setOpen] = useState<string | null>(null);
  const on = strategies.filter((_, k) => draft.strategiesOn[k]);
  const comparison = (draft.doc.comparison ?? {}) as JsonObject;
  const listProblems = check.byPath.get('strategies') ?? [];
  /** The ticked strategies, and the current choice even when it is no longer ticked (its problem says so). */
  const choices = (current: Json | undefined) => {
    const out = on.map((s) => ({ value: s.id, label: s.name }));
    const cur = strategies.find((s) => s.id === current);
    if (cur && !out.some((o) => o.value === cur.id)) out.unshift({ value: cur.id, label: `${cur.name} (not ticked)` });
    return out;
  };

  return (
    <div className="rl-strategies">
      <ul className="rl-strategy-list">
        {strategies.map((s, k) => {
          const path: Path = ['strategies', k];
          const problems = [...check.byPath.entries()].filter(([p]) => p.startsWith(`strategies[${k}]`)).flatMap(([, m]) => m);
          const isOpen = open === s.id;
          const role = comparison.primary === s.id ? 'under test' : comparison.baseline === s.id ? 'baseline' : null;
          return (
            <li key={`${s.id}-${k}`} className={`rl-strategy${draft.strategiesOn[k] ? '' : ' is-off'}${problems.length > 0 ? ' has-error' : ''}`}>
              <div className="rl-strategy-head">
                <label className="rl-check">
                  <input type="checkbox" checked={draft.strategiesOn[k] ?? false} onChange={(e) => onToggle(k, e.target.checked)} />
                  <span className="rl-swatch" style={{ background: strategyColor(s.id) }} aria-hidden="true" />
                  <span className="rl-strategy-name" title={s.name}>
                    {s.name}
                  </span>
                </label>
                {role && <span className={`rl-role rl-role-${role === 'baseline' ? 'baseline' : 'primary'}`}>{role}</span>}
                <span className="spacer" />
                <button type="button" className="small" aria-expanded={isOpen} aria-label={`${isOpen ? 'Hide' : 'Edit'} the parameters of ${s.name}`} onClick={() => setOpen(isOpen ? null : s.id)}>
                  {isOpen ? 'Hide' : 'Edit'}
                </button>
              </div>
              {!isOpen && (
                <div className="rl-strategy-summary muted">
                  {KIND_TITLES[s.kind] ?? s.kind}: {summary(s)}
                </div>
              )}
              {isOpen && (
                <div className="rl-strategy-params">
                  {s.notes && <p className="rl-hint">{s.notes}</p>}
                  <Params strategy={s} path={path} draft={draft} check={check} onChange={onChange} />
                  <div className="rl-strategy-actions">
                    <button type="button" className="small" onClick={() => onDuplicate(k)}>
                      Duplicate
                    </button>
                    {!originIds.has(s.id) && (
                      <button type="button" className="small" onClick={() => onRemove(k)}>
                        Remove
                      </button>
                    )}
                  </div>
                </div>
              )}
              {!isOpen && problems.length > 0 && <Problems id={`strategy-${k}-problems`} messages={problems} />}
            </li>
          );
        })}
      </ul>
      <Problems id="strategies-problems" messages={listProblems} />
      <div className="rl-comparison-choice">
        <SelectField
          label="Under test"
          path={['comparison', 'primary']}
          draft={draft}
          check={check}
          onChange={onChange}
          options={choices(comparison.primary)}
          hint="The strategy whose reduction is reported."
        />
        <SelectField
          label="Baseline"
          path={['comparison', 'baseline']}
          draft={draft}
          check={check}
          onChange={onChange}
          options={choices(comparison.baseline)}
          hint="The conventional strategy it is compared with; the table also shows the best other one."
        />
      </div>
    </div>
  );
}

function fmt(x: Json | undefined): string {
  return typeof x === 'number' ? String(Number(x.toPrecision(4))) : x === undefined ? '—' : String(x);
}

function summary(s: StrategyJson): string {
  switch (s.kind) {
    case 'constant':
      return `α = ${fmt(s.alpha)}`;
    case 'exponential':
      return `α = max(${fmt(s.alphaMin)}, ${fmt(s.alpha0)}·${fmt(s.rate)}ⁿ)${oracle(s)}`;
    case 'inverse-time':
      return `α = ${fmt(s.alpha0)}/(1 + ${fmt(s.k)}·n)${oracle(s)}`;
    case 'polynomial':
      return `α = ${fmt(s.alpha0)}/(n + 1)^${fmt(s.omega)}${oracle(s)}`;
    case 'linear':
      return `α ${fmt(s.alpha0)} → ${fmt(s.alphaEnd)} over ${fmt(s.episodes)} episodes${oracle(s)}`;
    case 'success-gated':
      return `α ${fmt(s.alphaMax)} → ${fmt(s.alphaMin)}: ×(1 − ${fmt(s.drop)}) per success, relaxing back over τ = ${fmt(s.tau)} episodes`;
    case 'device': {
      const pulse = (s.pulse ?? {}) as JsonObject;
      const map = (s.map ?? {}) as JsonObject;
      const spike = (s.spike ?? {}) as JsonObject;
      const device = typeof s.device === 'string' ? s.device : 'custom preset';
      const frozen = Array.isArray(s.ablate) && s.ablate.includes('second-state') ? ' (second state frozen)' : '';
      return `${device}${frozen}, ${fmt(pulse.amplitude)} V × ${typeof pulse.width === 'number' ? `${Number((pulse.width * 1000).toPrecision(3))} ms` : '—'}, ${fmt(s.secondsPerEpisode)} s/episode, ${String(map.kind ?? 'linear')} map ${fmt(map.alphaMin)}–${fmt(map.alphaMax)}, spikes ${String(spike.kind ?? '')}`;
    }
    default:
      return '';
  }
}

function Params({ strategy: s, path, draft, check, onChange }: { strategy: StrategyJson; path: Path; draft: Draft; check: DraftCheck; onChange: Props['onChange'] }) {
  const f = (key: string, label: string, unit: 's' | 'V' | null = null) => <NumberField key={key} label={label} path={[...path, ...key.split('.')]} unit={unit} draft={draft} check={check} onChange={onChange} />;
  // A decay told of each change of the task: an oracle no agent could be, offered so it is visible.
  const restart = () => (
    <div className="rl-field" key="restart">
      <label className="rl-check">
        <input type="checkbox" checked={s.restart === 'at-change'} onChange={(e) => onChange([...path, 'restart'], e.target.checked ? 'at-change' : undefined)} /> Restart at each change of the maze (oracle)
      </label>
    </div>
  );
  switch (s.kind) {
    case 'constant':
      return <div className="rl-param-grid">{f('alpha', 'α')}</div>;
    case 'exponential':
      return <div className="rl-param-grid">{[f('alpha0', 'α₀'), f('rate', 'Rate per episode'), f('alphaMin', 'α floor'), restart()]}</div>;
    case 'inverse-time':
      return <div className="rl-param-grid">{[f('alpha0', 'α₀'), f('k', 'k'), restart()]}</div>;
    case 'polynomial':
      return <div className="rl-param-grid">{[f('alpha0', 'α₀'), f('omega', 'ω'), restart()]}</div>;
    case 'linear':
      return <div className="rl-param-grid">{[f('alpha0', 'α₀'), f('alphaEnd', 'α at the end'), f('episodes', 'Over episodes'), restart()]}</div>;
    case 'success-gated':
      return <div className="rl-param-grid">{[f('alphaMax', 'α_max'), f('alphaMin', 'α_min'), f('drop', 'Drop per success'), f('tau', 'Relaxation τ (episodes)')]}</div>;
    case 'device': {
      const spike = getAt(draft.doc, [...path, 'spike']) as JsonObject | undefined;
      const noise = getAt(draft.doc, [...path, 'noise']);
      return (
        <div className="rl-param-grid">
          <SelectField
            label="Device preset"
            path={[...path, 'device']}
            draft={draft}
            check={check}
            onChange={onChange}
            options={builtInPresets.map((p) => ({ value: p.name, label: p.title }))}
          />
          <SelectField
            label="Map G → α"
            path={[...path, 'map', 'kind']}
            draft={draft}
            check={check}
            onChange={onChange}
            options={[
              { value: 'linear', label: 'linear' },
              { value: 'log', label: 'logarithmic' },
            ]}
          />
          {f('map.alphaMin', 'α_min')}
          {f('map.alphaMax', 'α_max')}
          {f('secondsPerEpisode', 'Time per episode', 's')}
          <SelectField
            label="Spike"
            path={[...path, 'spike', 'kind']}
            draft={draft}
            check={check}
            onChange={(p, value) => onChange(p.slice(0, -1), value === 'td-below' ? { kind: 'td-below', threshold: typeof spike?.threshold === 'number' ? spike.threshold : 0.5 } : { kind: value as string })}
            options={[
              { value: 'after-success', label: 'after a successful episode' },
              { value: 'every-episode', label: 'after every episode' },
              { value: 'td-below', label: 'when |TD error| < threshold' },
            ]}
          />
          {spike?.kind === 'td-below' && f('spike.threshold', 'TD-error threshold')}
          {f('pulse.amplitude', 'Pulse amplitude', 'V')}
          {f('pulse.width', 'Pulse width', 's')}
          {builtInPresets.find((p) => p.name === getAt(draft.doc, [...path, 'device']))?.model === 'intrinsic-gradient' && (
            <div className="rl-field">
              <label className="rl-check">
                <input
                  type="checkbox"
                  checked={Array.isArray(s.ablate) && s.ablate.includes('second-state')}
                  onChange={(e) => onChange([...path, 'ablate'], e.target.checked ? ['second-state'] : undefined)}
                />{' '}
                Freeze the second state (ablation)
              </label>
            </div>
          )}
          <div className="rl-field">
            <label className="rl-check">
              <input type="checkbox" checked={noise !== false} onChange={(e) => onChange([...path, 'noise'], e.target.checked)} /> Device noise (cycle-to-cycle, device-to-device, read){' '}
              <Provenance draft={draft} path={[...path, 'noise']} />
            </label>
          </div>
        </div>
      );
    }
    default:
      return <p className="muted">No editable parameters.</p>;
  }
}
