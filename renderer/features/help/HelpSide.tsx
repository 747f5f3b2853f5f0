import { Fragment, type ReactNode } from 'react';
import type { HelpSection, SectionMatch } from './sections';
import { splitMatches } from './sections';

export interface HelpPageText {
  id: string;
  title: string;
  sections: HelpSection[];
}

/** A link into a help page's section: an address of its own (#/help?page=…&section=…), followed in place. */
function SectionLink({ page, section, onGo, className, children }: { page: string; section: string; onGo: (page: string, section: string) => void; className?: string; children: ReactNode }) {
  const href = `#/help?${new URLSearchParams({ page, section }).toString()}`;
  return (
    <a
      href={href}
      className={className}
      onClick={(e) => {
        e.preventDefault();
        onGo(page, section);
      }}
    >
      {children}
    </a>
  );
}

/** The page's headings (sections and sub-sections), each a link that scrolls its heading into view. */
export function HelpToc({ page, onGo }: { page: HelpPageText; onGo: (page: string, section: string) => void }) {
  const entries = page.sections.filter((s) => s.depth >= 2 && s.depth <= 3 && s.id !== '');
  if (entries.length === 0) return null;
  return (
    <nav aria-label="On this page" className="help-toc" data-testid="help-toc">
      <h2 className="help-side-title">On this page</h2>
      <ul>
        {entries.map((s) => (
          <li key={s.id} className={`help-toc-depth-${s.depth}`}>
            <SectionLink page={page.id} section={s.id} onGo={onGo}>
              {s.title}
            </SectionLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The sections of every help page that hold all the query's words, best first, each with its count and where the words stand together. */
export function HelpResults({ query, results, onGo }: { query: string; results: { page: HelpPageText; matches: SectionMatch[] }[]; onGo: (page: string, section: string) => void }) {
  const sections = results.reduce((n, r) => n + r.matches.length, 0);
  const total = results.reduce((n, r) => n + r.matches.reduce((m, x) => m + x.count, 0), 0);
  return (
    <div className="help-results" data-testid="help-results">
      <p className="help-results-count" role="status">
        {sections === 0 ? `No section holds all the words of “${query.trim()}”.` : `${total} matching word${total === 1 ? '' : 's'} in ${sections} section${sections === 1 ? '' : 's'}, best first`}
      </p>
      {sections === 0 && (
        <p className="help-results-hint" data-testid="help-no-match-hint">
          Try fewer words, or the start of a word: “relax” finds relaxation and relaxes.
        </p>
      )}
      {results
        .filter((r) => r.matches.length > 0)
        .map((r) => (
          <section key={r.page.id} aria-label={`Matches in ${r.page.title}`}>
            <h2 className="help-side-title">{r.page.title}</h2>
            <ol>
              {r.matches.map((m) => (
                <li key={`${m.section.id}-${m.section.title}`}>
                  <SectionLink page={r.page.id} section={m.section.id} onGo={onGo} className="help-result">
                    <span className="help-result-title">
                      {m.section.parent && <span className="muted">{m.section.parent} › </span>}
                      {m.section.title || r.page.title}
                      <span className="help-result-count"> ({m.count})</span>
                    </span>
                    <span className="help-result-snippet">
                      <Marked text={m.snippet} query={query} />
                    </span>
                  </SectionLink>
                </li>
              ))}
            </ol>
          </section>
        ))}
    </div>
  );
}

function Marked({ text, query }: { text: string; query: string }) {
  return (
    <>
      {splitMatches(text, query).map((p, k) => (p.match ? <mark key={k}>{p.text}</mark> : <Fragment key={k}>{p.text}</Fragment>))}
    </>
  );
}
