import { useCallback, useEffect, useState } from 'react';
import type { LabDevice } from '../../../shared/contract/areas/lab';
import { useRequest } from '../../api/context';

/**
 * The device a run goes on (#14): a device of a chip, or — the empty choice — the virtual device
 * of the simulated preset or instrument the run uses. Reusable: the Live page uses it, and the RL
 * page can (`<DevicePicker scope="rl" … />` with `useLastDevice('rl')`).
 */
export function DevicePicker({
  value,
  onChange,
  disabled,
  label = 'On device',
  refresh,
}: {
  /** A device id, or '' for the run's virtual device. */
  value: string;
  onChange: (deviceId: string) => void;
  disabled?: boolean;
  label?: string;
  /** Changes to reload the list (a device was made elsewhere on the page). */
  refresh?: unknown;
}) {
  const devices = useRequest('lab.devices.list', {}, [refresh]);
  const list = devices.status === 'ready' ? devices.value : [];
  const known = value === '' || devices.status !== 'ready' || list.some((d) => d.id === value);
  // A remembered device that was archived or deleted since: back to the virtual one, said so.
  useEffect(() => {
    if (!known) onChange('');
  }, [known, onChange]);
  const groups = groupByChip(list.filter((d) => d.kind === 'physical'));
  return (
    <label className="field">
      <span>{label}</span>
      <select value={known ? value : ''} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid="device-picker">
        <option value="">Virtual device (per preset or instrument)</option>
        {groups.map(([chip, ds]) => (
          <optgroup key={chip} label={chip}>
            {ds.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
                {d.wordLine !== null ? ` (WL${d.wordLine}, BL${d.bitLine})` : ''}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {devices.status === 'error' && <span className="error-text small-text">The devices could not be listed: {devices.error.message}</span>}
      {devices.status === 'ready' && groups.length === 0 && (
        <span className="muted small-text">
          No devices yet: add a sample, a chip and its devices on the <a href="#/samples">Samples</a> page.
        </span>
      )}
    </label>
  );
}

function groupByChip(devices: readonly LabDevice[]): [string, LabDevice[]][] {
  const groups = new Map<string, LabDevice[]>();
  for (const d of devices) {
    const key = `${d.sampleName} / ${d.chipName}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [d]);
    else list.push(d);
  }
  return [...groups.entries()];
}

/** The last device chosen on a page (`scope`), remembered across sessions (localStorage); '' for none. */
export function useLastDevice(scope: string): [string, (deviceId: string) => void] {
  const key = `workbench.lastDevice.${scope}`;
  const [value, setValue] = useState<string>(() => {
    try {
      return window.localStorage.getItem(key) ?? '';
    } catch {
      return '';
    }
  });
  const set = useCallback(
    (deviceId: string) => {
      setValue(deviceId);
      try {
        if (deviceId === '') window.localStorage.removeItem(key);
        else window.localStorage.setItem(key, deviceId);
      } catch {
        // storage disabled: the choice is not remembered
      }
    },
    [key],
  );
  return [value, set];
}
