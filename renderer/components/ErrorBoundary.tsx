import { Component, type ErrorInfo, type ReactNode } from 'react';
import { HostContext } from '../api/context';
import type { HostClient } from '../api/host-client';
import { reportError } from '../api/report-error';

interface Props {
  /** Shown in the message, e.g. the page's name. */
  where: string;
  children: ReactNode;
  /** Changing this resets the boundary (e.g. navigating to another page). */
  resetKey?: unknown;
}
interface State {
  error: Error | null;
  resetKey: unknown;
}

/** A failure in a page shows what went wrong and a way back, never a blank window. */
export class ErrorBoundary extends Component<Props, State> {
  static override contextType = HostContext;
  declare context: HostClient | null;
  override state: State = { error: null, resetKey: undefined };

  // React keeps errors it caught from window.onerror, so the boundary writes them to the log itself.
  override componentDidCatch(error: Error, info: ErrorInfo): void {
    if (this.context) reportError(this.context, 'error', `${this.props.where}: ${error.message}`, `${error.stack ?? ''}\n\nComponent stack:${info.componentStack ?? ''}`);
  }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { resetKey: props.resetKey, error: null };
    return null;
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error-panel" role="alert">
        <h2>{this.props.where} ran into a problem</h2>
        <p>{error.message}</p>
        <p className="muted">Your data is safe: runs are written to the archive as they happen. Try again, or go to another page.</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
