import { PagePlaceholder } from '../components/PagePlaceholder';

export default function InstrumentsPage() {
  return (
    <PagePlaceholder title="Instruments">
      <p>Serial source-measure units (Keithley 2400, 2600B, DIY pulse boards) and the virtual instrument will be connected here.</p>
    </PagePlaceholder>
  );
}
