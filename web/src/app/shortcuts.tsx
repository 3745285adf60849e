/**
 * Keyboard shortcuts (`/`, `j`, `k`, `Enter`, `Esc`). One document listener; the view in front
 * registers what each action means for it (the table moves rows, a panel closes).
 */
import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import { type ShortcutAction, shortcutFor } from '../model/keyboard.ts';

export type ShortcutHandlers = Partial<Record<ShortcutAction, () => void>>;

type Registry = { stack: ShortcutHandlers[] };
const ShortcutContext = createContext<Registry | null>(null);

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Interactive elements keep their own Enter (buttons, links, summaries). */
function isInteractive(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a, summary, [role="button"]') !== null;
}

export function ShortcutProvider({ children }: { children: ReactNode }) {
  const registry = useRef<Registry>({ stack: [] });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const editing = isEditable(event.target);
      const action = shortcutFor(event, editing);
      if (!action) return;
      if (action === 'open' && isInteractive(event.target)) return;
      if (action === 'close' && editing) {
        (event.target as HTMLElement).blur();
        return;
      }
      // The most recently registered view (a panel above a table) handles the key first.
      for (let i = registry.current.stack.length - 1; i >= 0; i--) {
        const handler = registry.current.stack[i]?.[action];
        if (handler) {
          event.preventDefault();
          handler();
          return;
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return <ShortcutContext.Provider value={registry.current}>{children}</ShortcutContext.Provider>;
}

/** Registers handlers for as long as the calling component is mounted; the latest handlers always run. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const registry = useContext(ShortcutContext);
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!registry) return;
    const proxy: ShortcutHandlers = {};
    for (const action of ['focus-search', 'next', 'previous', 'open', 'close'] as const) {
      proxy[action] = () => latest.current[action]?.();
    }
    // Only actions the caller handles may stop the search down the stack.
    const entry = new Proxy(proxy, {
      get: (target, prop: ShortcutAction) => (latest.current[prop] ? target[prop] : undefined),
    });
    registry.stack.push(entry);
    return () => {
      registry.stack = registry.stack.filter((h) => h !== entry);
    };
  }, [registry]);
}
