/** TanStack Query hooks over the API client; query keys are the API params, so the URL drives the cache. */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type Filters, filtersToApiParams } from '../model/filters.ts';
import { useApi } from './api-context.tsx';

export type Resource = 'tool-calls' | 'trigger-events';

const PAGE_SIZE = 100;

/**
 * The API params of the filters with relative presets resolved against a `now` that only moves
 * when the filters change or the user refreshes, so the infinite list keeps its pages.
 */
export function useApiParams(filters: Filters, refreshToken: number): URLSearchParams {
  const key = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `filters`; refreshToken re-pins now.
  return useMemo(() => filtersToApiParams(filters, Date.now()), [key, refreshToken]);
}

export function useToolCalls(params: URLSearchParams) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['tool-calls', params.toString()],
    queryFn: ({ pageParam, signal }) => api.toolCalls(withPage(params, pageParam), signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useTriggerEvents(params: URLSearchParams) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['trigger-events', params.toString()],
    queryFn: ({ pageParam, signal }) => api.triggerEvents(withPage(params, pageParam), signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

function withPage(params: URLSearchParams, cursor: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set('limit', String(PAGE_SIZE));
  if (cursor) next.set('cursor', cursor);
  return next;
}

export function useHistogram(resource: Resource, params: URLSearchParams) {
  const api = useApi();
  return useQuery({
    queryKey: ['histogram', resource, params.toString()],
    queryFn: ({ signal }) => api.histogram(resource, params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useToolCallFacets(params: URLSearchParams) {
  const api = useApi();
  return useQuery({
    queryKey: ['facets', 'tool-calls', params.toString()],
    queryFn: ({ signal }) => api.toolCallFacets(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTriggerEventFacets(params: URLSearchParams) {
  const api = useApi();
  return useQuery({
    queryKey: ['facets', 'trigger-events', params.toString()],
    queryFn: ({ signal }) => api.triggerEventFacets(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTrace(traceId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: ['trace', traceId],
    queryFn: ({ signal }) => api.trace(traceId, signal),
    enabled,
  });
}

export function useTriggerEvent(eventId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['trigger-event', eventId],
    queryFn: ({ signal }) => api.triggerEvent(eventId, signal),
  });
}

export function useRetention() {
  const api = useApi();
  return useQuery({ queryKey: ['retention'], queryFn: ({ signal }) => api.retention(signal), refetchInterval: 60_000 });
}
