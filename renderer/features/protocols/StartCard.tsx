/**
 * What a new protocol's empty editor offers first (#19): each shipped template in one click, the
 * sample experiment in one click, or a first block from the palette. Shown instead of problems,
 * which an untouched empty document has only because nothing has been done yet.
 */
import { useState } from 'react';
import type { ProtocolTemplate } from '../../../shared/contract/areas/protocols';
import { useHost, useRequest } from '../../api/context';
import { navigate } from '../../app/use-hash-route';

export function StartCard({ onTemplate }: { onTemplate: (t: ProtocolTemplate) => void }) {
  const host = useHost();
  const templates = useRequest('protocols.templates', {});
  const [sample, setSample] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  const loadSample = () => {
    setSample({ busy: true, error: null });
    host.call('archive.loadSample', {}).then(
      () => navigate('archive'),
      (e: unknown) => setSample({ busy: false, error: e instanceof Error ? e.message : String(e) }),
    );
  };

  return (
    <div className="empty-state pe-start" data-testid="start-card" role="region" aria-label="Start here">
      <h2>Start here</h2>
      <p>Open a template as a new protocol (one click; save it to keep it), or add a first block from the palette above.</p>
      {templates.status === 'ready' && (
        <ul className="pe-start-templates">
          {templates.value.map((t) => (
            <li key={t.id}>
              <button type="button" onClick={() => onTemplate(t)} title={t.description}>
                {t.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {templates.status === 'error' && <p className="error-text">The templates could not be listed: {templates.error.message}</p>}
      <p>
        <button type="button" className="primary" disabled={sample.busy} onClick={loadSample}>
          {sample.busy ? 'Loading the sample experiment…' : 'Load the sample experiment'}
        </button>{' '}
        <span className="muted">simulated runs of the paper’s spike train and relaxation, opened in the Archive to replay and compare.</span>
      </p>
      {sample.error !== null && <p className="error-text" role="alert">{sample.error}</p>}
    </div>
  );
}
