import type { LabDevice, TimelineEntry } from '../../../shared/contract/areas/lab';
import { formatSI } from '../../../shared/units';
import { navigate } from '../../app/use-hash-route';

const FORMING: Record<TimelineEntry['forming'], string> = { pristine: 'pristine', unformed: 'not formed', formed: 'formed' };

function ohms(x: number | null): string {
  return x === null ? '—' : formatSI(x, 'Ω', { digits: 3 });
}

/**
 * A device's life (#14): every run and RL run on it in order, with its kind, the pulses it gave and
 * the running total, the stress received (Σ|V|·width, V·s), the forming state after it and the
 * last HRS/LRS the device showed; a run's name opens it in the Archive.
 */
export function DeviceTimeline({ device, entries }: { device: LabDevice; entries: readonly TimelineEntry[] }) {
  return (
    <section className="lab-panel" aria-label="Timeline">
      <div className="lab-panel-header">
        <h2>Timeline</h2>
        <span className="muted small-text">
          {entries.length} run{entries.length === 1 ? '' : 's'}; stress is Σ|V|·width over the pulses, in V·s
        </span>
      </div>
      {entries.length === 0 ? (
        <p className="muted">No runs on {device.name} yet. Choose it under “On device” on the Live page and run a protocol.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table timeline-table" data-testid="device-timeline">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Run</th>
                <th>Kind</th>
                <th>Started</th>
                <th className="num">Pulses</th>
                <th className="num">Σ pulses</th>
                <th className="num">Stress (V·s)</th>
                <th className="num">Σ stress (V·s)</th>
                <th>Forming</th>
                <th className="num">HRS</th>
                <th className="num">LRS</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, k) => (
                <tr key={e.id}>
                  <td className="num">{k + 1}</td>
                  <td className="wrap">
                    <a
                      href={e.kind === 'rl' ? '#/archive?view=rl' : `#/archive?run=${e.id}`}
                      onClick={(ev) => (ev.preventDefault(), e.kind === 'rl' ? navigate('archive', { view: 'rl' }) : navigate('archive', { run: e.id }))}
                    >
                      {e.name}
                    </a>{' '}
                    <span className="muted small-text">{e.status}</span>
                  </td>
                  <td className="wrap">{e.kind === 'rl' ? 'RL run' : (e.protocolName ?? 'run')}</td>
                  <td className="mono small-text">{new Date(e.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}</td>
                  <td className="num">{e.pulses}</td>
                  <td className="num">{e.cumulativePulses}</td>
                  <td className="num">{e.stressVs === null ? '—' : e.stressVs.toPrecision(3)}</td>
                  <td className="num">{e.cumulativeStressVs.toPrecision(3)}</td>
                  <td>{FORMING[e.forming]}</td>
                  <td className="num">{ohms(e.hrs)}</td>
                  <td className="num">{ohms(e.lrs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
