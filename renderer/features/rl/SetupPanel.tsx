/**
 * The set-up column: environments (mazes), the agent, the strategies to compare, seeds and
 * episodes. Every value the workbench shipped is labelled "ours" until it is changed.
 */
import type { ReactNode } from 'react';
import { getAt, problemsUnder, type Draft, type DraftCheck, type Json, type JsonObject, type Path } from './draft';
import { EnvironmentEditor } from './EnvironmentEditor';
import { NumberField, SelectField } from './fields';
import { StrategyEditor } from './StrategyEditor';

interface Props {
  draft: Draft;
  check: DraftCheck;
  onChange: (path: Path, value: Json | undefined) => void;
  onToggleEnvironment: (index: number, on: boolean) => void;
  onToggleStrategy: (index: number, on: boolean) => void;
  onDuplicateStrategy: (index: number) => void;
  onRemoveStrategy: (index: number) => void;
}

function Section({ title, problems, children, open = true, testId }: { title: string; problems: number; children: ReactNode; open?: boolean; testId?: string }) {
  return (
    <details className="rl-section" open={open} data-testid={testId}>
      <summary>
        {title}
        {problems > 0 && <span className="rl-problem-count">{problems === 1 ? '1 problem' : `${problems} problems`}</span>}
      </summary>
      <div className="rl-section-body">{children}</div>
    </details>
  );
}

export function SetupPanel({ draft, check, onChange, onToggleEnvironment, onToggleStrategy, onDuplicateStrategy, onRemoveStrategy }: Props) {
  const envs = (draft.doc.environments as Json[]) ?? [];
  const epsilon = (getAt(draft.doc, ['agent', 'epsilon']) ?? {}) as JsonObject;
  return (
    <>
      <Section title="Environments" problems={problemsUnder(check, 'environments').length} testId="rl-setup-environments">
        {envs.map((_, k) => (
          <EnvironmentEditor key={k} index={k} draft={draft} check={check} onChange={onChange} onToggle={(on) => onToggleEnvironment(k, on)} />
        ))}
      </Section>
      <Section title="Strategies to compare" problems={problemsUnder(check, 'strategies').length + problemsUnder(check, 'comparison').length} testId="rl-setup-strategies">
        <StrategyEditor draft={draft} check={check} onChange={onChange} onToggle={onToggleStrategy} onDuplicate={onDuplicateStrategy} onRemove={onRemoveStrategy} />
      </Section>
      <Section title="Agent" problems={problemsUnder(check, 'agent').length} testId="rl-setup-agent">
        <div className="rl-param-grid">
          <SelectField
            label="Algorithm"
            path={['agent', 'algorithm']}
            draft={draft}
            check={check}
            onChange={onChange}
            options={[
              { value: 'q-learning', label: 'Q-learning' },
              { value: 'sarsa', label: 'SARSA' },
            ]}
          />
          <NumberField label="Discount γ" path={['agent', 'gamma']} draft={draft} check={check} onChange={onChange} />
          <SelectField
            label="Exploration ε"
            path={['agent', 'epsilon', 'kind']}
            draft={draft}
            check={check}
            onChange={(_, value) =>
              onChange(['agent', 'epsilon'], value === 'decay' ? { kind: 'decay', start: typeof epsilon.value === 'number' ? epsilon.value : 0.5, end: 0.01, rate: 0.99 } : { kind: 'constant', value: typeof epsilon.start === 'number' ? epsilon.start : 0.1 })
            }
            options={[
              { value: 'constant', label: 'constant' },
              { value: 'decay', label: 'decaying' },
            ]}
          />
          {epsilon.kind === 'decay' ? (
            <>
              <NumberField label="ε at the start" path={['agent', 'epsilon', 'start']} draft={draft} check={check} onChange={onChange} />
              <NumberField label="ε floor" path={['agent', 'epsilon', 'end']} draft={draft} check={check} onChange={onChange} />
              <NumberField label="ε factor per episode" path={['agent', 'epsilon', 'rate']} draft={draft} check={check} onChange={onChange} />
            </>
          ) : (
            <NumberField label="ε" path={['agent', 'epsilon', 'value']} draft={draft} check={check} onChange={onChange} />
          )}
          <NumberField label="Initial Q" path={['agent', 'initialQ']} draft={draft} check={check} onChange={onChange} />
        </div>
      </Section>
      <Section title="Seeds and episodes" problems={problemsUnder(check, 'seeds').length + problemsUnder(check, 'episodes').length + problemsUnder(check, 'convergenceWindow').length + problemsUnder(check, 'firstSeed').length} testId="rl-setup-seeds">
        <div className="rl-param-grid">
          <NumberField label="Seeds" path={['seeds']} draft={draft} check={check} onChange={onChange} hint="Each strategy runs once per seed, on the same mazes and exploration streams." />
          <NumberField label="First seed" path={['firstSeed']} draft={draft} check={check} onChange={onChange} />
          <NumberField label="Episodes" path={['episodes']} draft={draft} check={check} onChange={onChange} hint="Per environment unless it sets its own." />
          <NumberField label="Convergence window K" path={['convergenceWindow']} draft={draft} check={check} onChange={onChange} hint="Consecutive optimal greedy episodes that count as converged." />
        </div>
      </Section>
    </>
  );
}
