import { Suspense, useCallback, useRef, useState } from 'react';
import { useRequest } from '../api/context';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { ErrorBanner } from '../features/settings/ErrorBanner';
import { Icon } from '../components/icons';
import { ExperimentPicker } from './ExperimentPicker';
import { defaultRoute, routes } from './routes';
import { StatusBar } from './StatusBar';
import { useTheme } from './theme';
import { useHashRoute } from './use-hash-route';
import { AppStateProvider } from './app-state';
import { ShortcutSheet } from './ShortcutSheet';
import { useShortcuts } from './use-shortcuts';

export function App() {
  useTheme();
  const route = useHashRoute(defaultRoute);
  const info = useRequest('app.info', {});
  const [experimentId, setExperimentId] = useState<string | null>(null);
  const page = routes.find((r) => r.id === route.page);
  const Page = page?.component;
  const main = useRef<HTMLElement>(null);
  const [sheet, setSheet] = useState(false);
  const showShortcuts = useCallback(() => setSheet(true), []);
  useShortcuts(showShortcuts);

  return (
    <AppStateProvider value={{ experimentId, setExperimentId, info: info.status === 'ready' ? info.value : null, showShortcuts }}>
      <div className="frame">
        {/* The first stop of Tab: past the rail and the experiment picker to the page (#19). A
            link that focuses, not an anchor jump: the address's # belongs to the router. */}
        <a
          className="skip-link"
          href="#main-content"
          onClick={(e) => {
            e.preventDefault();
            main.current?.focus();
          }}
        >
          Skip to main content
        </a>
        <nav className="rail" aria-label="Pages">
          <div className="brand" title="Memristor Workbench">
            MW
          </div>
          {routes.filter((r) => !r.hidden).map((r) => (
            <a key={r.id} href={`#/${r.id}`} className={r.id === route.page ? 'rail-item active' : 'rail-item'} aria-current={r.id === route.page ? 'page' : undefined}>
              <Icon name={r.icon} />
              <span>{r.label}</span>
            </a>
          ))}
        </nav>
        <header className="top-bar">
          <ExperimentPicker value={experimentId} onChange={setExperimentId} />
          <span className="spacer" />
          {info.status === 'error' && <span className="pill pill-error">{info.error.message}</span>}
        </header>
        <main className="content" id="main-content" ref={main} tabIndex={-1}>
          <ErrorBoundary where={page?.label ?? 'This page'} resetKey={route.page}>
            <Suspense fallback={<div className="loading">Loading…</div>}>
              {Page ? (
                <Page />
              ) : (
                <section className="page">
                  <h1>Page not found</h1>
                  <p>
                    There is no page called “{route.page}”. <a href={`#/${defaultRoute}`}>Go to Protocols</a>.
                  </p>
                </section>
              )}
            </Suspense>
          </ErrorBoundary>
        </main>
        <StatusBar info={info.status === 'ready' ? info.value : null} />
        <ErrorBanner />
        <ShortcutSheet open={sheet} onClose={() => setSheet(false)} />
      </div>
    </AppStateProvider>
  );
}
