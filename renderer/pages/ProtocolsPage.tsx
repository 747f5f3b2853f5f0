import { PagePlaceholder } from '../components/PagePlaceholder';

export default function ProtocolsPage() {
  return (
    <PagePlaceholder title="Protocols">
      <p>The visual pulse-protocol editor — blocks, live waveform preview, estimates and safety checks — is coming next.</p>
      <p className="muted">Until then, protocols can be checked and simulated from the command line: <code>npx workbench --help</code>.</p>
    </PagePlaceholder>
  );
}
