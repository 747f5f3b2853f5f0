import type { ReactNode } from 'react';

/** Pages whose work has not landed yet say so plainly instead of pretending. */
export function PagePlaceholder({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-header">
        <h1>{title}</h1>
      </header>
      <div className="empty-state">
        <p className="badge">Not built yet</p>
        {children}
      </div>
    </section>
  );
}
