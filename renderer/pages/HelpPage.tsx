import '../styles/help.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useAppState } from '../app/app-state';
import { useHost, useRequest } from '../api/context';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { useSessionState } from '../app/use-session-state';
import { Markdown, type Highlighter } from '../components/markdown/Markdown';
import { HelpResults, HelpToc, type HelpPageText } from '../features/help/HelpSide';
import { helpSections, searchSections, splitMatches } from '../features/help/sections';

type Loaded = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; markdown: string; text: HelpPageText };

/** Every help page's text, fetched once: the one shown, its table of contents and the search across all. */
function useHelpTexts(pages: readonly { id: string; title: string }[]): Record<string, Loaded> {
  const host = useHost();
  const [texts, setTexts] = useState<Record<string, Loaded>>({});
  const key = JSON.stringify(pages);
  useEffect(() => {
    let live = true;
    for (const p of JSON.parse(key) as { id: string; title: string }[]) {
      host.call('help.page', { id: p.id }).then(
        (r) => live && setTexts((t) => ({ ...t, [p.id]: { status: 'ready', markdown: r.markdown, text: { id: p.id, title: p.title, sections: helpSections(r.markdown) } } })),
        (e: unknown) => live && setTexts((t) => ({ ...t, [p.id]: { status: 'error', message: e instanceof Error ? e.message : String(e) } })),
      );
    }
    return () => {
      live = false;
    };
  }, [host, key]);
  return texts;
}

/** The first marked match between a heading and the next heading, or null. */
function firstMarkIn(heading: HTMLElement): HTMLElement | null {
  const article = heading.closest('.markdown');
  if (!article) return null;
  const headings = Array.from(article.querySelectorAll('h1, h2, h3, h4, h5, h6'));
  const next = headings[headings.indexOf(heading) + 1] ?? null;
  const after = (a: Node, b: Node) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  return Array.from(article.querySelectorAll<HTMLElement>('mark')).find((m) => after(heading, m) && (next === null || after(m, next))) ?? null;
}

/**
 * Help: the user guide and reference pages shipped in resources/help, and the versions (About).
 * A table of contents from the page's headings, and a search across every page (#19): the matching
 * sections are listed with their counts, and the matches are marked in the page.
 */
export default function HelpPage() {
  const route = useHashRoute('help');
  const pages = useRequest('help.pages', {});
  const list = useMemo(() => (pages.status === 'ready' ? pages.value : []), [pages]);
  const current = route.params.get('page') ?? list[0]?.id ?? null;
  const section = route.params.get('section');
  const { showShortcuts } = useAppState();
  const texts = useHelpTexts(list);
  const [search, setSearch] = useSessionState('workbench.help.search', () => ({ query: '' }));
  const query = search.query;
  const shown = current !== null && current !== 'about' ? (texts[current] ?? { status: 'loading' }) : null;

  // A section to bring into view: from the address, again on every click of its link.
  const [jump, setJump] = useState(0);
  const go = useCallback((page: string, to: string) => {
    navigate('help', to ? { page, section: to } : { page });
    setJump((n) => n + 1);
  }, []);
  const ready = shown?.status === 'ready';

  const results = useMemo(
    () =>
      query.trim() === ''
        ? []
        : list
            .flatMap((p) => {
              const t = texts[p.id];
              return t?.status === 'ready' ? [{ page: t.text, matches: searchSections(t.text.sections, query) }] : [];
            })
            // The page with the best match first; Enter opens its best section.
            .sort((a, b) => (b.matches[0]?.score ?? -1) - (a.matches[0]?.score ?? -1)),
    [list, texts, query],
  );
  // Marked in the page shown only where the search found something in it: the words of a query that matches nowhere are not news.
  const highlight = useMemo<Highlighter | null>(() => (results.some((r) => r.page.id === current && r.matches.length > 0) ? (text) => splitMatches(text, query) : null), [results, current, query]);
  // Read when jumping, not a reason to jump: typing in the search box leaves the page where it is.
  const marking = useRef(highlight !== null);
  marking.current = highlight !== null;
  useEffect(() => {
    if (!ready) return;
    const main = document.getElementById('main-content');
    const heading = section ? document.getElementById(section) : null;
    if (!heading) {
      main?.scrollTo({ top: 0 });
      return;
    }
    // From a search result: the section's first match, in the middle of the view; otherwise the heading at the top.
    const mark = marking.current ? firstMarkIn(heading) : null;
    if (mark) mark.scrollIntoView({ block: 'center' });
    else heading.scrollIntoView({ block: 'start' });
    // Keyboard and screen-reader users continue from the section, not from the link.
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }, [ready, current, section, jump]);
  const first = results.find((r) => r.matches.length > 0);

  return (
    <section className="page help-page">
      <header className="page-header">
        <h1>Help</h1>
      </header>
      <div className="help-layout">
        <div className="help-side">
          <div role="search" className="help-search">
            <label className="field">
              <span>Search help</span>
              <input
                type="search"
                value={query}
                placeholder="e.g. paired-pulse"
                aria-describedby={query.trim() ? 'help-search-hint' : undefined}
                onChange={(e) => setSearch({ query: e.target.value })}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && first) go(first.page.id, first.matches[0]!.section.id);
                }}
              />
            </label>
            {query.trim() !== '' && (
              <p id="help-search-hint" className="help-search-hint">
                Enter opens the first match; Escape clears.
              </p>
            )}
          </div>
          <nav aria-label="Help pages" className="help-nav">
            {list.map((p) => (
              <button type="button" key={p.id} className={p.id === current ? 'help-link active' : 'help-link'} aria-current={p.id === current ? 'page' : undefined} onClick={() => go(p.id, '')}>
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
          {query.trim() !== '' ? <HelpResults query={query} results={results} onGo={go} /> : shown?.status === 'ready' && <HelpToc page={shown.text} onGo={go} />}
        </div>
        <article className="help-content">
          {current === 'about' ? (
            <About />
          ) : shown === null ? (
            <p className="muted">No help pages are installed.</p>
          ) : shown.status === 'loading' ? (
            <p className="loading">Loading…</p>
          ) : shown.status === 'error' ? (
            <p className="error-text">{shown.message}</p>
          ) : (
            <Markdown source={shown.markdown} highlight={highlight} />
          )}
        </article>
      </div>
    </section>
  );
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
