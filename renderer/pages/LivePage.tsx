import { PagePlaceholder } from '../components/PagePlaceholder';

export default function LivePage() {
  return (
    <PagePlaceholder title="Live">
      <p>Running a protocol on the simulated device or an instrument, with live conductance charts, is not built yet.</p>
    </PagePlaceholder>
  );
}
