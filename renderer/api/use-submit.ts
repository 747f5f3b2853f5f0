import { useState } from 'react';

/**
 * A request the user sends with a button (a form's Submit): busy while it runs, so the button can
 * say so and not be pressed twice, and its refusal kept as the sentence to show.
 */
export function useSubmit<T>(onDone: (value: T) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (send: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await send());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
