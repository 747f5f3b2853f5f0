import type { InstrumentState } from '../../shared/contract';

const labels: Record<InstrumentState['state'], string> = {
  disconnected: 'No instrument',
  connecting: 'Connecting…',
  connected: 'Connected',
  error: 'Instrument error',
};

export function StatusPill({ state, title }: { state: InstrumentState['state']; title?: string }) {
  return (
    <span className={`pill pill-${state}`} title={title} data-testid="instrument-pill">
      <span className="pill-dot" aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
