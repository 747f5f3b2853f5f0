/**
 * A protocol picker's options, one list wherever a protocol is chosen (Live, a lab simulation
 * sweep): the library's protocols at their latest version, then the shipped templates
 * ('template:ID'), with room between for an option of the picker's own.
 */
import type { ReactNode } from 'react';
import type { ProtocolSummary, ProtocolTemplate } from '../../../shared/contract/areas/protocols';

export function ProtocolOptions({
  library,
  templates,
  libraryValue,
  children,
}: {
  library: readonly ProtocolSummary[];
  templates: readonly Pick<ProtocolTemplate, 'id' | 'name'>[];
  /** How the picker names a library protocol (with or without its version). */
  libraryValue: (p: ProtocolSummary) => string;
  children?: ReactNode;
}) {
  return (
    <>
      <option value="">Choose a protocol…</option>
      {library.length > 0 && (
        <optgroup label="Your library">
          {library.map((p) => (
            <option key={p.id} value={libraryValue(p)}>
              {p.name} (v{p.latestVersion})
            </option>
          ))}
        </optgroup>
      )}
      {children}
      <optgroup label="Templates">
        {templates.map((t) => (
          <option key={t.id} value={`template:${t.id}`}>
            {t.name}
          </option>
        ))}
      </optgroup>
    </>
  );
}
