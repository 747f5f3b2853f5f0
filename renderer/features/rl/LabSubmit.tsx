/**
 * "Submit to the lab…" on the RL page (#16): the set-up as it stands goes to the lab's job queue as
 * a sweep (every environment × strategy × seed job), for `workbench worker --lab` on the lab's PCs
 * to run — or, routed to an instrument, for the worker of the PC that owns it, as
 * `workbench submit --instrument NAME` does. Shown only when a lab is configured; afterwards it says
 * the sweep id, the worker command to start and where to follow it.
 */
import { useState } from 'react';
import type { RequestOutput } from '../../../shared/contract';
import type { LabInstrument } from '../../../shared/contract/areas/lab';
import { useHost, useRequest } from '../../api/context';
import { useSubmit } from '../../api/use-submit';
import { navigate } from '../../app/use-hash-route';
import { useSessionState } from '../../app/use-session-state';
import { LabInstrumentChoice } from './LabInstrumentChoice';
import { GENERAL, pickInstrument, workerCommand } from './lab-instrument';

type Submitted = RequestOutput<'lab.submitRl'>;
/** What was submitted, with the lab's record of its instrument for the worker command. */
type Done = Submitted & { known: LabInstrument | null };

export function LabSubmit({ experiment, defaultSeeds, blocked }: { experiment: Record<string, unknown> | null; defaultSeeds: number; blocked: string | null }) {
  const status = useRequest('lab.status', {});
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  if (status.status !== 'ready' || status.value.source === null) return null;
  return (
    <div className="rl-lab-submit" data-testid="rl-lab-submit">
      {!open && (
        <button type="button" className="small" onClick={() => (setOpen(true), setDone(null))} disabled={!!blocked} title={blocked ?? `Run this comparison on the lab’s PCs (lab ${status.value.display ?? ''})`}>
          Submit to the lab…
        </button>
      )}
      {open && <SubmitForm experiment={experiment} defaultSeeds={defaultSeeds} display={status.value.display} onDone={(d) => (setDone(d), setOpen(false))} onCancel={() => setOpen(false)} />}
      {done && <SubmittedNote done={done} />}
    </div>
  );
}

interface FormProps {
  experiment: Record<string, unknown> | null;
  defaultSeeds: number;
  display: string | null;
  onDone: (done: Done) => void;
  onCancel: () => void;
}

/** The open form: mounted only while open, so the lab's instruments are read afresh each time (workers announce themselves meanwhile). */
function SubmitForm({ experiment, defaultSeeds, display, onDone, onCancel }: FormProps) {
  const host = useHost();
  // The set-up outlives leaving the RL page: seeds and where the sweep runs.
  const [setup, setSetup] = useSessionState('rl.labSubmit', () => ({ seeds: '', choice: GENERAL, other: '' }));
  const { busy, error, submit: send } = useSubmit<Done>(onDone);
  const instruments = useRequest('lab.instruments', {});
  const pick = pickInstrument(setup, instruments.status === 'ready' ? instruments.value.instruments : []);
  const n = setup.seeds.trim() === '' ? defaultSeeds : Number(setup.seeds);
  const seedsProblem = Number.isInteger(n) && n >= 1 && n <= 10_000 ? null : 'Seeds must be a whole number from 1 to 10000.';
  const submit = async () => {
    if (!experiment || seedsProblem || pick.problem) return;
    const instrument = pick.name;
    await send(async () => ({ ...(await host.call('lab.submitRl', { experiment, seeds: n, ...(instrument === null ? {} : { instrument }) })), known: pick.known }));
  };
  return (
    <>
      <form
        className="rl-lab-submit-form"
        aria-label="Submit to the lab"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          Seeds{' '}
          <input type="number" min={1} max={10_000} step={1} value={setup.seeds} placeholder={String(defaultSeeds)} onChange={(e) => setSetup((x) => ({ ...x, seeds: e.target.value }))} aria-label="Seeds for the lab sweep" aria-invalid={seedsProblem !== null} />
        </label>
        <LabInstrumentChoice draft={setup} onChange={(d) => setSetup((x) => ({ ...x, ...d }))} instruments={instruments} pick={pick} disabled={busy} />
        <div className="rl-lab-submit-actions">
          <button type="submit" className="primary small" disabled={busy || seedsProblem !== null || pick.problem !== null || !experiment}>
            {busy ? 'Submitting…' : 'Submit'}
          </button>
          <button type="button" className="small" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <span className="muted rl-small">to lab {display}</span>
        </div>
        {seedsProblem && <span className="error-text">{seedsProblem}</span>}
      </form>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function SubmittedNote({ done }: { done: Done }) {
  const follow = (
    <a href="#/archive?source=lab&view=sweeps" onClick={(e) => (e.preventDefault(), navigate('archive', { source: 'lab', view: 'sweeps' }))}>
      follow it in Archive → Lab → Sweeps
    </a>
  );
  const owner = done.known?.workers[0]?.pcName;
  return (
    <p className="rl-lab-submitted" role="status" data-testid="rl-lab-submitted">
      Submitted sweep <span className="mono">{done.sweepId}</span>: {done.jobs} jobs ({done.seeds} seeds) of “{done.title}”
      {done.instrument === null ? (
        <>
          . Run <code>workbench worker --lab</code> on the lab’s PCs to run it;{' '}
        </>
      ) : (
        <>
          {' '}
          for instrument <strong data-testid="rl-lab-submitted-instrument">{done.instrument}</strong> (queue <span className="mono">{done.queue}</span>). On the PC that owns it{owner ? ` (${owner} served it last)` : ''}, run{' '}
          <code data-testid="rl-lab-worker-command">{workerCommand(done.instrument, done.known)}</code> to run it there;{' '}
        </>
      )}
      {follow}.
    </p>
  );
}
