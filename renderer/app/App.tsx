import { Suspense, useState } from 'react';
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

export function App() {
  useTheme();
  const route = useHashRoute(defaultRoute);
  const info = useRequest('app.info', {});
  const [experimentId, setExperimentId] = useState<string | null>(null);
  const page = routes.find((r) => r.id === route.page);
  const Page = page?.component;

  return (
    <AppStateProvider value={{ experimentId, setExperimentId, info: info.status === 'ready' ? info.value : null }}>
      <div className="frame">
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
        <main className="content">
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
      </div>
    </AppStateProvider>
  );
}
