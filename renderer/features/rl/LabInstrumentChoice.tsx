/**
 * The "Run on" choice of "Submit to the lab…" (#16): the general queue, an instrument the lab's
 * workers serve (with the PC that owns it and when its worker was last seen), or an instrument
 * typed by name — what `workbench submit --instrument NAME` does. The name is checked as you type
 * with the same rule the CLI and the lab use.
 */
import type { LabInstrument } from '../../../shared/contract/areas/lab';
import type { Loadable } from '../../api/context';
import { GENERAL, instrumentDetailText, instrumentOptionText, listed, OTHER, type InstrumentDraft, type InstrumentPick } from './lab-instrument';

interface Props {
  draft: InstrumentDraft;
  onChange: (draft: InstrumentDraft) => void;
  instruments: Loadable<{ instruments: LabInstrument[] }>;
  pick: InstrumentPick;
  disabled: boolean;
}

export function LabInstrumentChoice({ draft, onChange, instruments, pick, disabled }: Props) {
  const list = instruments.status === 'ready' ? instruments.value.instruments : [];
  const now = Date.now();
  const served = list.filter((i) => i.workers.length > 0);
  const unserved = list.filter((i) => i.workers.length === 0);
  // A remembered choice the list does not hold (still loading, or gone) stays selectable.
  const remembered = draft.choice.startsWith('i:') && !list.some((i) => listed(i.name) === draft.choice) ? draft.choice.slice(2) : null;
  return (
    <div className="rl-lab-instrument" data-testid="rl-lab-instrument">
      <label>
        Run on{' '}
        <select value={draft.choice} onChange={(e) => onChange({ ...draft, choice: e.target.value })} disabled={disabled} aria-label="Where the lab sweep runs" aria-describedby="rl-lab-instrument-hint">
          <option value={GENERAL}>the general queue (software)</option>
          {served.length > 0 && (
            <optgroup label="Instruments the lab’s workers serve">
              {served.map((i) => (
                <option key={i.name} value={listed(i.name)}>
                  {instrumentOptionText(i, now)}
                </option>
              ))}
            </optgroup>
          )}
          {(unserved.length > 0 || remembered !== null) && (
            <optgroup label="Named by past sweeps, no worker yet">
              {unserved.map((i) => (
                <option key={i.name} value={listed(i.name)}>
                  {instrumentOptionText(i, now)}
                </option>
              ))}
              {remembered !== null && <option value={draft.choice}>{remembered}</option>}
            </optgroup>
          )}
          <option value={OTHER}>Another instrument…</option>
        </select>
      </label>
      {draft.choice === OTHER && (
        <label>
          Instrument{' '}
          <input
            type="text"
            value={draft.other}
            onChange={(e) => onChange({ ...draft, other: e.target.value })}
            disabled={disabled}
            placeholder="e.g. k2400"
            maxLength={200}
            spellCheck={false}
            aria-label="Instrument name"
            aria-invalid={pick.problem !== null}
            aria-describedby="rl-lab-instrument-problem"
          />
        </label>
      )}
      {pick.known !== null && draft.choice !== OTHER && (
        <p className="rl-small" data-testid="rl-lab-instrument-detail">
          {instrumentDetailText(pick.known, now)}
        </p>
      )}
      <p className="rl-hint" id="rl-lab-instrument-hint">
        {draft.choice === GENERAL ? 'Any lab PC’s worker takes the jobs and runs them in software.' : 'Jobs run only on the PC that owns this instrument; device-driven strategies run on the instrument itself.'}
      </p>
      {instruments.status === 'error' && <p className="error-text">Could not list the lab’s instruments: {instruments.error.message}</p>}
      {pick.problem !== null && (
        <p className="error-text" id="rl-lab-instrument-problem">
          {pick.problem}
        </p>
      )}
      {pick.warning !== null && (
        <p className="rl-warn-text rl-small" role="status" data-testid="rl-lab-instrument-warning">
          {withCode(pick.warning)}
        </p>
      )}
    </div>
  );
}

/** A sentence with `commands` in it, each shown as code. */
function withCode(text: string) {
  return text.split('`').map((part, k) => (k % 2 === 1 ? <code key={k}>{part}</code> : part));
}
