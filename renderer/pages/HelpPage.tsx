import { useAppState } from '../app/app-state';
import { useRequest } from '../api/context';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { Markdown } from '../components/markdown/Markdown';

/** Help: the user guide and reference pages shipped in resources/help, and the versions (About). */
export default function HelpPage() {
  const route = useHashRoute('help');
  const pages = useRequest('help.pages', {});
  const list = pages.status === 'ready' ? pages.value : [];
  const current = route.params.get('page') ?? list[0]?.id ?? null;
  const { showShortcuts } = useAppState();
  return (
    <section className="page help-page">
      <header className="page-header">
        <h1>Help</h1>
      </header>
      <div className="help-layout">
        <nav aria-label="Help pages" className="help-nav">
          {list.map((p) => (
            <button type="button" key={p.id} className={p.id === current ? 'help-link active' : 'help-link'} onClick={() => navigate('help', { page: p.id })}>
              {p.title}
            </button>
          ))}
          <button type="button" className={current === 'about' ? 'help-link active' : 'help-link'} onClick={() => navigate('help', { page: 'about' })}>
            About
          </button>
          <a className="help-link" href="#/logs">
            Logs
          </a>
          <button type="button" className="help-link" onClick={showShortcuts}>
            Keyboard shortcuts <kbd>?</kbd>
          </button>
        </nav>
        <article className="help-content">{current === 'about' ? <About /> : current ? <HelpContent id={current} /> : <p className="muted">No help pages are installed.</p>}</article>
      </div>
    </section>
  );
}

function HelpContent({ id }: { id: string }) {
  const page = useRequest('help.page', { id }, [id]);
  if (page.status === 'loading') return <p className="loading">Loading…</p>;
  if (page.status === 'error') return <p className="error-text">{page.error.message}</p>;
  return <Markdown source={page.value.markdown} />;
}

function About() {
  const { info } = useAppState();
  if (!info) return <p className="loading">Loading…</p>;
  return (
    <div>
      <h2>
        {info.appName} {info.appVersion}
      </h2>
      <table className="data-table about-table">
        <tbody>
          <tr>
            <th>Host</th>
            <td>{info.hostKind === 'desktop' ? 'Desktop (Electron)' : 'Web host'}</td>
          </tr>
          {Object.entries(info.versions).map(([k, v]) => (
            <tr key={k}>
              <th>{k === 'sqlite' ? 'SQLite' : k === 'node' ? 'Node.js' : k === 'chrome' ? 'Chromium' : k[0]!.toUpperCase() + k.slice(1)}</th>
              <td className="mono">{v}</td>
            </tr>
          ))}
          <tr>
            <th>Database schema</th>
            <td className="mono">{info.schemaVersion}</td>
          </tr>
          <tr>
            <th>Data file</th>
            <td className="mono">{info.dataFile}</td>
          </tr>
          <tr>
            <th>Platform</th>
            <td className="mono">{info.platform}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
