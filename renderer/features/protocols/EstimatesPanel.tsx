/**
 * What the protocol would do, before it does it: duration (exact, or a bound when an `until` may
 * stop early), pulse and read counts, the largest |V|, the energy, and the limits in force — with a
 * clear badge when a limit is broken, the problems listed, and Run disabled with its reason.
 */
import { formatProblem, LIMIT_INFO, LIMIT_NAMES, formatLimit, type Bounded, type Problem, type SafetyLimits } from '../../../shared/protocol';
import { formatCount, formatDuration, formatSI } from '../../../shared/units';
import type { EDoc } from './model';
import type { PreviewSummary } from './PreviewPanel';
import { sentence } from './problems';
import { describeWhere } from './summary';

function bounded(b: Bounded, format: (n: number) => string): string {
  return b.exact ? format(b.value) : `≤ ${format(b.value)}`;
}

export function EstimatesPanel({
  doc,
  summary,
  valid,
  problems,
  empty,
  limits,
  runBlocked,
  onLabSweep,
  onRun,
  onShowProblem,
}: {
  doc: EDoc;
  summary: PreviewSummary | null;
  valid: boolean;
  problems: readonly Problem[];
  /** A new, untouched protocol: nothing to check yet. */
  empty: boolean;
  /** The limits in force (the workbench's, tightened by the document's). */
  limits: SafetyLimits;
  /** Why Run cannot proceed, or null when it can. */
  runBlocked: string | null;
  /** Opens "New simulation sweep" in Archive → Lab → Sweeps with this protocol; absent without a lab. */
  onLabSweep?: (() => void) | undefined;
  onRun: () => void;
  onShowProblem: (path: string) => void;
}) {
  const limitProblems = problems.filter((p) => p.code === 'limit');
  const e = valid && summary ? summary.estimate : null;
  const dash = '—';
  const compliance = summary && valid ? summary.maxPulseCurrent > summary.limits.compliance : false;
  return (
    <section className="pe-estimates-panel" aria-label="Estimates" data-testid="estimates">
      <header className="pe-panel-header">
        <h2>Estimates</h2>
        <span className="spacer" />
        {empty ? (
          <span className="pe-limit-badge pe-limit-unknown" data-testid="limit-badge" role="status">
            Empty protocol
          </span>
        ) : limitProblems.length > 0 ? (
          <span className="pe-limit-badge pe-limit-bad" data-testid="limit-badge" role="status">
            ⚠ Breaks {limitProblems.length === 1 ? 'a safety limit' : `${limitProblems.length} safety limits`}
          </span>
        ) : problems.length > 0 ? (
          <span className="pe-limit-badge pe-limit-unknown" data-testid="limit-badge" role="status">
            Not checked: {problems.length} problem{problems.length === 1 ? '' : 's'}
          </span>
        ) : (
          <span className="pe-limit-badge pe-limit-ok" data-testid="limit-badge" role="status">
            ✓ Within the limits
          </span>
        )}
      </header>
      <dl className="pe-estimates mono">
        <div>
          <dt>Duration</dt>
          <dd data-testid="estimate-duration">{e ? bounded(e.duration, formatDuration) : dash}</dd>
        </div>
        <div>
          <dt>Pulses</dt>
          <dd data-testid="estimate-pulses">{e ? bounded(e.pulses, formatCount) : dash}</dd>
        </div>
        <div>
          <dt>Reads</dt>
          <dd data-testid="estimate-reads">{e ? bounded(e.reads, formatCount) : dash}</dd>
        </div>
        <div>
          <dt>Max |V|</dt>
          <dd data-testid="estimate-vmax">{e ? formatSI(e.maxAbsVoltage, 'V', { digits: 3 }) : dash}</dd>
        </div>
        <div>
          <dt title="Σ V²·G·w over the pulses, G from the simulated device">Energy</dt>
          <dd data-testid="estimate-energy">{summary && valid ? `${summary.truncated || e?.dataDependent ? '≈ ' : ''}${formatSI(summary.energy, 'J', { digits: 3 })}` : dash}</dd>
        </div>
        <div>
          <dt title="Largest G·|V| of a pulse, from the simulated device">Max pulse current</dt>
          <dd className={compliance ? 'pe-warn-text' : undefined}>{summary && valid ? formatSI(summary.maxPulseCurrent, 'A', { digits: 3 }) : dash}</dd>
        </div>
      </dl>
      {e?.dataDependent && valid && (
        <p className="pe-fine-print" data-testid="estimate-worst-case">
          ≤ is the worst case: an until, forming or converge block stops as soon as its measurement meets its target, and is counted here as if it never did.
        </p>
      )}
      {compliance && summary && (
        <p className="pe-warn-text">
          The simulated pulse current reaches {formatSI(summary.maxPulseCurrent, 'A', { digits: 3 })}, above the compliance of {formatSI(summary.limits.compliance, 'A')}: the instrument
          will limit it.
        </p>
      )}
      <div className="pe-run-row">
        <button type="button" className="primary" onClick={onRun} disabled={runBlocked !== null} aria-describedby={runBlocked ? 'run-reason' : undefined} title={runBlocked ?? 'Run this version on the Live page'}>
          ▶ Run
        </button>
        {onLabSweep && (
          <button type="button" onClick={onLabSweep} disabled={runBlocked !== null} title={runBlocked ?? 'Run this protocol over seeds and device parameters on the lab’s PCs (Archive → Lab → Sweeps)'}>
            Lab sweep…
          </button>
        )}
        {runBlocked ? (
          // Red for a problem to fix; a step still to take (save) is not an error (UI.md: red only for errors).
          <p id="run-reason" className={`pe-run-reason${empty || problems.length === 0 ? ' muted' : ''}`} data-testid="run-reason">
            {runBlocked}
          </p>
        ) : (
          <p className="pe-run-reason muted">Opens the Live page with this saved version.</p>
        )}
      </div>
      <details className="pe-limits-in-force">
        <summary>Limits in force</summary>
        <dl className="pe-limits mono" data-testid="limits-in-force">
          {LIMIT_NAMES.map((name) => (
            <div key={name}>
              <dt>{LIMIT_INFO[name].title}</dt>
              <dd>{formatLimit(name, limits[name])}</dd>
            </div>
          ))}
        </dl>
        <p className="pe-fine-print">The workbench&apos;s limits (Settings), tightened by any the protocol sets for itself.</p>
      </details>
      {problems.length > 0 && (
        <div className="pe-problem-list" data-testid="problem-list">
          <h3>
            {problems.length} problem{problems.length === 1 ? '' : 's'}
          </h3>
          <ul>
            {problems.map((p, k) => (
              <li key={k}>
                <button type="button" className="pe-link-button" onClick={() => onShowProblem(p.path)} title={formatProblem(p)}>
                  <span className="pe-problem-where">{describeWhere(doc, p.path)}</span> {sentence(p.message)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
