import type { InstrumentState } from '../../../shared/contract';
import type { VirtualInstrumentInfo } from '../../../shared/contract/areas/instruments';

/**
 * One line under the page's title saying what to do next when no instrument is connected: a
 * newcomer with no hardware did not see that a virtual instrument is one click away, and after
 * starting one did not see that Connect (below the fold at 1280×800) was still to be pressed.
 */
export function NextStep({ state, chosenPath, virtuals }: { state: InstrumentState; chosenPath: string | null; virtuals: readonly VirtualInstrumentInfo[] }) {
  const step = nextStep(state, chosenPath, virtuals);
  if (step === null) return null;
  return (
    <p className={step.error ? 'instr-next error-text' : 'instr-next muted'} data-testid="instrument-next-step">
      {step.text}
    </p>
  );
}

function nextStep(state: InstrumentState, chosenPath: string | null, virtuals: readonly VirtualInstrumentInfo[]): { text: string; error: boolean } | null {
  if (state.state === 'connected' || state.state === 'connecting') return null;
  // A virtual instrument started after a failure is the next step, not the failure of another port.
  const chosen = virtuals.find((v) => v.path === chosenPath && (state.state !== 'error' || v.path !== state.port));
  if (chosen) return { text: `The virtual instrument on ${chosen.path} is chosen under Connection: press Connect to use it.`, error: false };
  if (state.state === 'error') return { text: `Not connected: ${(state.message ?? 'the connection failed').replace(/\.$/, '')}.`, error: true };
  return {
    text: 'No instrument connected. Choose yours under Connection and press Connect — or, to try the workbench without hardware, Start virtual instrument (above right): an emulator with a simulated memristor behind it.',
    error: false,
  };
}
