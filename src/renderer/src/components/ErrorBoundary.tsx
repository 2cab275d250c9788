/** Catches render errors so one broken screen neither blanks the kiosk nor goes unreported. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { KioskApi } from '../../../shared/ipc/contract';
import { reportError } from '../api';
import { LANGUAGES, type Language } from '../../../shared/domain/types';
import { translate } from '../i18n/i18n';

/** The language on screen when the error happened (the i18n layer keeps it on `<html lang>`). */
function shownLanguage(): Language {
  const lang = document.documentElement.lang;
  return LANGUAGES.find((l) => l === lang) ?? 'en';
}

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
    const language = shownLanguage();
    return (
      <main className="screen screen--center" role="alert">
        <h1>{translate(language, 'error.title')}</h1>
        <button type="button" className="btn btn--primary" onClick={() => this.setState({ failed: false })}>
          {translate(language, 'error.restart')}
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
