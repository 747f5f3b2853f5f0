/**
 * Settings → Lab archive (#16): where this workbench publishes and how that was configured. The
 * desktop app keeps a connection here (the password in the operating system's secret storage);
 * the web host and the command line take it from the environment only, so this says how.
 */
import { useState } from 'react';
import { formatCount } from '../../../shared/units';
import { useHost, useRequest } from '../../api/context';

const sourceText = {
  env: 'from the WORKBENCH_LAB_URL environment variable',
  file: 'from the file named by WORKBENCH_LAB_URL_FILE',
  settings: 'kept here (the password in the system’s secret storage)',
} as const;

export function LabSettings() {
  const host = useHost();
  const status = useRequest('lab.status', {});
  const [form, setForm] = useState({ host: '', port: '5432', database: 'workbench_lab', user: 'workbench', password: '' });
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const s = status.status === 'ready' ? status.value : null;
  const save = (clear: boolean) =>
    host
      .call('lab.configure', clear ? { host: '' } : { host: form.host, port: Number(form.port) || 5432, database: form.database, user: form.user, password: form.password })
      .then(
        () => (setMessage({ text: clear ? 'The lab connection was removed.' : 'Saved. Pending runs are published in the background.' }), setForm((f) => ({ ...f, password: '' })), status.reload()),
        (e: unknown) => setMessage({ text: e instanceof Error ? e.message : String(e), error: true }),
      );
  return (
    <section className="settings-section" aria-labelledby="s-lab">
      <h2 id="s-lab">Lab archive</h2>
      <p className="muted section-note">
        Ended runs, RL runs, protocols and device presets are published to the lab’s PostgreSQL in the background; this PC keeps working offline, and anything
        pending is published once the lab is reachable.
      </p>
      {s && (
        <p data-testid="lab-settings-status">
          {s.source ? (
            <>
              Publishing to <span className="mono">{s.display}</span>, {sourceText[s.source]}. {formatCount(s.counts.pending)} pending · {formatCount(s.counts.published)} published ·{' '}
              {formatCount(s.counts.failed)} failed.
            </>
          ) : s.problem ? (
            <span className="error-text">{s.problem}</span>
          ) : (
            'No lab archive is configured.'
          )}
        </p>
      )}
      {s && !s.settingsAvailable && (
        <p className="muted">
          Here (web host or command line) the lab is set before starting the workbench: <code>WORKBENCH_LAB_URL=postgres://USER:PASSWORD@HOST:5432/DATABASE</code>, or{' '}
          <code>WORKBENCH_LAB_URL_FILE</code> naming a file that holds that URL and only its owner can read (<code>chmod 600</code>).
        </p>
      )}
      {s?.settingsAvailable && (
        <div className="form-grid">
          <label htmlFor="lab-host">Server</label>
          <input id="lab-host" value={form.host} onChange={(e) => setForm({ ...form, host: e.target.value })} placeholder="db.lab.example" />
          <label htmlFor="lab-port">Port</label>
          <input id="lab-port" value={form.port} onChange={(e) => setForm({ ...form, port: e.target.value })} inputMode="numeric" />
          <label htmlFor="lab-db">Database</label>
          <input id="lab-db" value={form.database} onChange={(e) => setForm({ ...form, database: e.target.value })} />
          <label htmlFor="lab-user">User</label>
          <input id="lab-user" value={form.user} onChange={(e) => setForm({ ...form, user: e.target.value })} />
          <label htmlFor="lab-password">Password</label>
          <input id="lab-password" type="password" autoComplete="off" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
          <span />
          <span>
            <button type="button" className="primary" disabled={form.host.trim() === ''} onClick={() => void save(false)}>
              Save lab connection
            </button>{' '}
            {s.source === 'settings' && (
              <button type="button" onClick={() => void save(true)}>
                Remove
              </button>
            )}
          </span>
        </div>
      )}
      {message && (
        <p className={message.error ? 'error-text' : 'muted'} role="status">
          {message.text}
        </p>
      )}
    </section>
  );
}
