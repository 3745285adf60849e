import { useEffect } from 'react';

/** Names the browser tab (and history entries) after the view. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · tooltrace`;
  }, [title]);
}
