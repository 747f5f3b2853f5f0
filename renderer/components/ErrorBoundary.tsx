import { Component, type ReactNode } from 'react';

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
  override state: State = { error: null, resetKey: undefined };

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
