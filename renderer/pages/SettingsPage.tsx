import { useAppState } from '../app/app-state';
import { useTheme, type ThemeChoice } from '../app/theme';

export default function SettingsPage() {
  const [theme, setTheme] = useTheme();
  const { info } = useAppState();
  return (
    <section className="page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <div className="form-grid">
        <label htmlFor="theme">Theme</label>
        <select id="theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
        <span>Data folder</span>
        <span className="mono">{info?.dataDir ?? '…'}</span>
        <span>Database</span>
        <span className="mono">{info ? `${info.dataFile} (schema ${info.schemaVersion})` : '…'}</span>
        <span>Version</span>
        <span className="mono">
          {info ? `${info.appName} ${info.appVersion} · ${Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(' · ')}` : '…'}
        </span>
      </div>
      <p className="muted">Safety limits, backups and auto-reconnect settings arrive with the desktop release.</p>
    </section>
  );
}
