import { useCallback, useEffect, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../shared/contract/areas/settings';
import { useHost } from '../../api/context';

/**
 * The workbench's settings for any page: loaded once, kept current by 'settings.changed' (a
 * change in another window, a restore). `update` sends a partial change and resolves with the
 * whole validated settings (it rejects with a HostError naming the field otherwise).
 */
export function useSettings(): {
  settings: Settings | null;
  error: Error | null;
  update: (patch: SettingsPatch) => Promise<Settings>;
  reload: () => void;
} {
  const host = useHost();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    host.call('settings.get', {}).then(
      (s) => {
        if (!live) return;
        setSettings(s);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))),
    );
    const off = host.on('settings.changed', (s) => live && setSettings(s));
    return () => {
      live = false;
      off();
    };
  }, [host, tick]);
  const update = useCallback(
    async (patch: SettingsPatch) => {
      const next = await host.call('settings.update', patch);
      setSettings(next);
      return next;
    },
    [host],
  );
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { settings, error, update, reload };
}
