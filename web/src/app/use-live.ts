/**
 * Live mode: reads the SSE stream of the current filters (fetch + reader, because EventSource
 * cannot send the read key) and keeps the rows that arrived, newest first.
 */
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { upsertLive } from '../model/live.ts';
import { parseResponse } from '../model/parse-response.ts';
import { useApi } from './api-context.tsx';
import type { Resource } from './queries.ts';

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

export interface LiveRows<T> {
  rows: T[];
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
  onRows?: () => void;
}): LiveRows<T> {
  const api = useApi();
  const [rows, setRows] = useState<T[]>([]);
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
    setRows([]);
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
                const { eventName, schema, keyOf, onRows } = latest.current;
                if (message.event !== eventName) return;
                let row: T;
                try {
                  row = parseResponse(schema, JSON.parse(message.data), `${options.resource}/stream`);
                } catch {
                  return; // a malformed event is skipped, the stream goes on
                }
                arrivedAt.current.set(keyOf(row), Date.now());
                setRows((current) => upsertLive(current, [row], keyOf));
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
    rows,
    arrivedAt: arrivedAt.current,
    state,
    clear: () => {
      setRows([]);
      arrivedAt.current = new Map();
    },
  };
}
