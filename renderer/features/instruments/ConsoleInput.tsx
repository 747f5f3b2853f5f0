import { useState } from 'react';
import type { RequestOutput } from '../../../shared/contract';

const HISTORY = 100;

/**
 * The console's command line: type a command or a query, Enter (or Send) sends it to the
 * connected instrument, Up and Down walk through what was sent before. Disabled, saying why, when
 * nothing is connected or a run is using the instrument.
 */
export function ConsoleInput({
  disabledReason,
  send,
}: {
  /** Why commands cannot be sent now, or null. */
  disabledReason: string | null;
  send: (command: string) => Promise<RequestOutput<'instruments.send'> | undefined>;
}) {
  const [text, setText] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  /** Position in the history while walking it (history.length: the line being typed). */
  const [at, setAt] = useState(0);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<RequestOutput<'instruments.send'> | null>(null);
  const disabled = disabledReason !== null || sending;

  const submit = async () => {
    const command = text.trim();
    if (command === '' || disabled) return;
    const next = [...history.filter((h) => h !== command), command].slice(-HISTORY);
    setHistory(next);
    setAt(next.length);
    setDraft('');
    setText('');
    setSending(true);
    setResult(null);
    try {
      const r = await send(command);
      if (r) setResult(r);
    } finally {
      setSending(false);
    }
  };

  const walk = (step: -1 | 1) => {
    const to = Math.max(0, Math.min(history.length, at + step));
    if (to === at) return;
    if (at === history.length) setDraft(text);
    setAt(to);
    setText(to === history.length ? draft : history[to]!);
  };

  return (
    <div className="instr-console-input">
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input
          id="instr-command"
          aria-label="Console command"
          className="mono"
          data-testid="console-command"
          placeholder={disabledReason ?? 'a command or a query, e.g. *IDN? (Up/Down: history)'}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setAt(history.length);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowUp') {
              e.preventDefault();
              walk(-1);
            } else if (e.key === 'ArrowDown') {
              e.preventDefault();
              walk(1);
            }
          }}
        />
        <button type="submit" disabled={disabled || text.trim() === ''}>
          Send
        </button>
      </form>
      {disabledReason && (
        <p className="muted instr-fine" data-testid="console-disabled">
          {disabledReason}
        </p>
      )}
      {result && (
        <p className="instr-fine">
          {result.reply === null ? (
            <span className="muted" data-testid="console-reply">
              Sent (no reply expected).
            </span>
          ) : (
            <>
              <span className="muted">Reply: </span>
              <span className="mono" data-testid="console-reply">
                {result.reply}
              </span>
            </>
          )}
        </p>
      )}
      {result?.warning && (
        <p className="warn-text instr-fine" role="status" data-testid="console-warning">
          {result.warning}
        </p>
      )}
    </div>
  );
}
