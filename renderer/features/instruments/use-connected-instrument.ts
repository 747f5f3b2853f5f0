import { useEffect, useState } from 'react';
import type { InstrumentState } from '../../../shared/contract';
import type { InstrumentLimitsInfo } from '../../../shared/contract/areas/instruments';
import { useHost } from '../../api/context';

export type ConnectedInstrument = NonNullable<InstrumentLimitsInfo['instrument']>;

/**
 * The connection as a page that runs things on it needs it (the Live page): the state, and the
 * connected instrument with the limits it enforces, read again whenever the state or the Settings
 * change (new limits are mirrored to the instrument then). Lighter than useInstruments: no port
 * list, no console.
 */
export function useConnectedInstrument(): { state: InstrumentState | null; instrument: ConnectedInstrument | null } {
  const host = useHost();
  const [state, setState] = useState<InstrumentState | null>(null);
  const [instrument, setInstrument] = useState<ConnectedInstrument | null>(null);

  useEffect(() => {
    let live = true;
    let asked = 0;
    // Only the newest answer counts: a slow one must not overwrite what a later event brought.
    const readLimits = () => {
      const mine = ++asked;
      host.call('instruments.limits', {}).then(
        (r) => live && mine === asked && setInstrument(r.instrument),
        () => live && mine === asked && setInstrument(null),
      );
    };
    const offs = [
      host.on('instrument.state', (s) => {
        if (!live) return;
        setState(s);
        if (s.state === 'connected') readLimits();
        else setInstrument(null);
      }),
      host.on('settings.changed', () => live && readLimits()),
    ];
    host.call('instruments.state', {}).then(
      (s) => {
        if (!live) return;
        setState((now) => now ?? s);
        readLimits();
      },
      () => undefined,
    );
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [host]);

  return { state, instrument: state?.state === 'connected' ? instrument : null };
}
