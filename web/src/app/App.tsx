/** The shell: sign-in, providers, header, and the view the route picks. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, createApiClient } from '../api/client.ts';
import { clearReadKey, loadReadKey, saveReadKey } from '../api/session.ts';
import { Header } from '../components/Header.tsx';
import { SignIn } from '../components/SignIn.tsx';
import { EmptyState } from '../components/states.tsx';
import { useTimeZoneChoice } from '../components/TimeZoneToggle.tsx';
import { findTraceIdInText } from '../model/request-id.ts';
import { routePath } from '../model/routes.ts';
import { ErrorsPage } from '../pages/ErrorsPage.tsx';
import { ForwardingPage } from '../pages/ForwardingPage.tsx';
import { IngestPage } from '../pages/IngestPage.tsx';
import { ToolsPage } from '../pages/ToolsPage.tsx';
import { TracePage } from '../pages/TracePage.tsx';
import { TriggersPage } from '../pages/TriggersPage.tsx';
import styles from './App.module.css';
import { ApiProvider } from './api-context.tsx';
import { Link, RouterProvider, useRouter } from './router.tsx';
import { ShortcutProvider } from './shortcuts.tsx';

export function App({ baseUrl = '' }: { baseUrl?: string }) {
  // Every time on screen is formatted in the chosen zone: a change re-renders the whole view.
  useTimeZoneChoice();
  const [readKey, setReadKey] = useState<string | null>(loadReadKey);
  const [notice, setNotice] = useState<string | null>(null);
  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 15_000,
            refetchOnWindowFocus: false,
            retry: (count, error) =>
              !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
          },
        },
      }),
    [],
  );
  const api = useMemo(
    () =>
      createApiClient({
        baseUrl,
        getReadKey: loadReadKey,
        onUnauthorized: () => {
          clearReadKey();
          setReadKey(null);
          setNotice('This key was rotated (or revoked): sign in with the project’s new key.');
        },
      }),
    [baseUrl],
  );

  const signOut = () => {
    clearReadKey();
    queryClient.clear();
    setReadKey(null);
    setNotice('Signed out.');
  };

  const signIn = async (key: string): Promise<string | null> => {
    // Checked with a client of its own, so a rejected key is a form error, not a "signed out" notice.
    const probe = createApiClient({ baseUrl, getReadKey: () => key });
    try {
      await probe.retention();
      saveReadKey(key);
      queryClient.clear();
      setNotice(null);
      setReadKey(key);
      return null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401)
        return 'That read key was not accepted. Check it and try again.';
      return error instanceof Error ? error.message : String(error);
    }
  };

  return (
    <RouterProvider>
      {readKey === null ? (
        <SignIn onSignIn={signIn} notice={notice} />
      ) : (
        <QueryClientProvider client={queryClient}>
          <ApiProvider client={api}>
            <ShortcutProvider>
              <div className={styles.app}>
                <a className={styles.skipLink} href="#main">
                  Skip to content
                </a>
                <Header onSignOut={signOut} />
                <main id="main" className={styles.appMain}>
                  <PasteToJump />
                  <View />
                </main>
              </div>
            </ShortcutProvider>
          </ApiProvider>
        </QueryClientProvider>
      )}
    </RouterProvider>
  );
}

function View() {
  const { route } = useRouter();
  switch (route.name) {
    case 'tools':
      return <ToolsPage />;
    case 'errors':
      return <ErrorsPage />;
    case 'trace':
      return <TracePage key={route.traceId} traceId={route.traceId} valid={route.valid} />;
    case 'triggers':
      return <TriggersPage eventId={null} />;
    case 'event':
      return <TriggersPage eventId={route.eventId} />;
    case 'forwarding':
      return <ForwardingPage />;
    case 'ingest':
      return <IngestPage />;
    case 'not-found':
      return (
        <EmptyState
          title="Nothing lives at this address"
          actions={
            <Link className="button" to="/tools">
              Go to Tools
            </Link>
          }
        >
          <code>{route.path}</code> is not a page of Monitoring.
        </EmptyState>
      );
  }
}

/** Pasting a requestId anywhere outside a text field jumps to its trace (DESIGN §7). */
function PasteToJump() {
  const { navigate } = useRouter();
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const target = event.target;
      if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA'].includes(target.tagName)))
        return;
      const traceId = findTraceIdInText(event.clipboardData?.getData('text') ?? '');
      if (!traceId) return;
      event.preventDefault();
      navigate(routePath({ name: 'trace', traceId, valid: true }));
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [navigate]);
  return null;
}
