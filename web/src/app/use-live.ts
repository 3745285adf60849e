/**
 * Live mode: reads the SSE stream of the current filters (fetch + reader, because EventSource
 * cannot send the read key) and keeps the rows that arrived (`model/live.ts` decides where each goes).
 */
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { applyLive, emptyLiveView, type LiveView, type ShownRows } from '../model/live.ts';
import { parseResponse } from '../model/parse-response.ts';
import { useApi } from './api-context.tsx';
import type { Resource } from './queries.ts';

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

export interface LiveRows<T> {
  view: LiveView<T>;
  /** When each row (by key) arrived, for the "new" highlight. */
  arrivedAt: Map<string, number>;
  state: LiveState;
  clear: () => void;
}

export function useLive<T>(options: {
  resource: Resource;
  eventName: string;
  schema: z.ZodType<T>;
  params: URLSearchParams;
  enabled: boolean;
  keyOf: (row: T) => string;
  timeOf: (row: T) => number;
  /** The rows listed besides the live ones, read when a row arrives. */
  shown: () => ShownRows;
  onRows?: () => void;
}): LiveRows<T> {
  const api = useApi();
  const [view, setView] = useState<LiveView<T>>(emptyLiveView);
  const [state, setState] = useState<LiveState>('off');
  const arrivedAt = useRef(new Map<string, number>());
  const latest = useRef(options);
  latest.current = options;
  // Only the filter values narrow the stream (it delivers what arrives from now on), so a re-pinned
  // date range must not restart it.
  const streamParams = new URLSearchParams(options.params);
  streamParams.delete('from');
  streamParams.delete('to');
  const paramsKey = streamParams.toString();

  // biome-ignore lint/correctness/useExhaustiveDependencies: the stream restarts only when its inputs change; the rest is read through `latest`.
  useEffect(() => {
    setView(emptyLiveView());
    arrivedAt.current = new Map();
    if (!options.enabled) {
      setState('off');
      return;
    }
    const controller = new AbortController();
    const params = new URLSearchParams(paramsKey);
    let retryMs = 1000;
    const run = async () => {
      while (!controller.signal.aborted) {
        setState((s) => (s === 'off' ? 'connecting' : s));
        try {
          await api.stream(
            options.resource,
            params,
            {
              onOpen: () => {
                setState('live');
                retryMs = 1000;
              },
              onMessage: (message) => {
                const { eventName, schema, keyOf, timeOf, shown, onRows } = latest.current;
                if (message.event !== eventName) return;
                let row: T;
                try {
                  row = parseResponse(schema, JSON.parse(message.data), `${options.resource}/stream`);
                } catch {
                  return; // a malformed event is skipped, the stream goes on
                }
                arrivedAt.current.set(keyOf(row), Date.now());
                const listed = shown();
                setView((current) => applyLive(current, row, keyOf, timeOf, listed));
                onRows?.();
              },
            },
            controller.signal,
          );
        } catch {
          if (controller.signal.aborted) return;
        }
        if (controller.signal.aborted) return;
        setState('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(15_000, retryMs * 2);
      }
    };
    void run();
    return () => controller.abort();
  }, [options.enabled, paramsKey, options.resource]);

  return {
    view,
    arrivedAt: arrivedAt.current,
    state,
    clear: () => {
      setView(emptyLiveView());
      arrivedAt.current = new Map();
    },
  };
}
