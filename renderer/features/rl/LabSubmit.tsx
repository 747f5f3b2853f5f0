/**
 * "Submit to the lab…" on the RL page (#16): the set-up as it stands goes to the lab's job queue as
 * a sweep (every environment × strategy × seed job), for `workbench worker --lab` on the lab's PCs
 * to run. Shown only when a lab is configured; afterwards it says the sweep id and where to follow it.
 */
import { useState } from 'react';
import type { RequestOutput } from '../../../shared/contract';
import { useHost, useRequest } from '../../api/context';
import { useSubmit } from '../../api/use-submit';
import { navigate } from '../../app/use-hash-route';

type Submitted = RequestOutput<'lab.submitRl'>;

export function LabSubmit({ experiment, defaultSeeds, blocked }: { experiment: Record<string, unknown> | null; defaultSeeds: number; blocked: string | null }) {
  const host = useHost();
  const status = useRequest('lab.status', {});
  const [open, setOpen] = useState(false);
  const [seeds, setSeeds] = useState('');
  const [done, setDone] = useState<Submitted | null>(null);
  const { busy, error, setError, submit: send } = useSubmit<Submitted>((s) => (setDone(s), setOpen(false)));
  if (status.status !== 'ready' || status.value.source === null) return null;

  const n = seeds.trim() === '' ? defaultSeeds : Number(seeds);
  const seedsProblem = Number.isInteger(n) && n >= 1 && n <= 10_000 ? null : 'Seeds must be a whole number from 1 to 10000.';
  const submit = async () => {
    if (!experiment || seedsProblem) return;
    await send(() => host.call('lab.submitRl', { experiment, seeds: n }));
  };

  return (
    <div className="rl-lab-submit" data-testid="rl-lab-submit">
      {!open && (
        <button type="button" className="small" onClick={() => (setOpen(true), setDone(null), setError(null))} disabled={!!blocked} title={blocked ?? `Run this comparison on the lab’s PCs (lab ${status.value.display ?? ''})`}>
          Submit to the lab…
        </button>
      )}
      {open && (
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
            <input type="number" min={1} max={10_000} step={1} value={seeds} placeholder={String(defaultSeeds)} onChange={(e) => setSeeds(e.target.value)} aria-label="Seeds for the lab sweep" aria-invalid={seedsProblem !== null} />
          </label>
          <button type="submit" className="primary small" disabled={busy || seedsProblem !== null || !experiment}>
            {busy ? 'Submitting…' : 'Submit'}
          </button>
          <button type="button" className="small" onClick={() => setOpen(false)} disabled={busy}>
            Cancel
          </button>
          <span className="muted rl-small">to lab {status.value.display}</span>
          {seedsProblem && <span className="error-text">{seedsProblem}</span>}
        </form>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="rl-lab-submitted" role="status" data-testid="rl-lab-submitted">
          Submitted sweep <span className="mono">{done.sweepId}</span>: {done.jobs} jobs ({done.seeds} seeds) of “{done.title}”. Run <code>workbench worker --lab</code> on the lab’s PCs to run it;{' '}
          <a href="#/archive?source=lab&view=sweeps" onClick={(e) => (e.preventDefault(), navigate('archive', { source: 'lab', view: 'sweeps' }))}>
            follow it in Archive → Lab → Sweeps
          </a>
          .
        </p>
      )}
    </div>
  );
}
