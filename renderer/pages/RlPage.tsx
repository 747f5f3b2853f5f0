import { PagePlaceholder } from '../components/PagePlaceholder';

export default function RlPage() {
  return (
    <PagePlaceholder title="Reinforcement learning">
      <p>Experiments whose learning rate comes from the device’s conductance, compared with conventional schedules, are not built yet.</p>
    </PagePlaceholder>
  );
}
