/** Catches render errors so one broken screen neither blanks the kiosk nor goes unreported. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { KioskApi } from '../../../shared/ipc/contract';
import { reportError } from '../api';
import { translate } from '../i18n/i18n';

interface Props {
  api: KioskApi;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    reportError(this.props.api, `render error${info.componentStack ? ` in ${info.componentStack.trim().split('\n')[0]}` : ''}`, error, 'error');
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="screen screen--center" role="alert">
        <h1>{translate('en', 'error.title')}</h1>
        <button type="button" className="btn btn--primary" onClick={() => this.setState({ failed: false })}>
          {translate('en', 'error.restart')}
        </button>
      </main>
    );
  }
}

/**
 * Forwards uncaught errors and unhandled promise rejections to main's log.
 * Returns a function that removes the listeners.
 */
export function installErrorForwarding(api: KioskApi, target: Window = window): () => void {
  const onError = (event: ErrorEvent): void => {
    reportError(api, `uncaught: ${event.message}`, event.error ?? undefined, 'error');
  };
  const onRejection = (event: PromiseRejectionEvent): void => {
    reportError(api, 'unhandled rejection', event.reason, 'error');
  };
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}
