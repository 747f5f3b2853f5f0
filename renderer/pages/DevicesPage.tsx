import { PagePlaceholder } from '../components/PagePlaceholder';

export default function DevicesPage() {
  return (
    <PagePlaceholder title="Devices">
      <p>Device models (second-order intrinsic-gradient, filamentary, ideal), their parameters and characteristic curves will be edited here.</p>
    </PagePlaceholder>
  );
}
