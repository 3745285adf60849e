/** TanStack Query hooks over the API client; query keys are the API params, so the URL drives the cache. */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { FacetValues } from '@tooltrace/conventions';
import { useMemo } from 'react';
import type { ApiClient } from '../api/client.ts';
import { type FilterKey, type Filters, filtersToApiParams, withFilterValue } from '../model/filters.ts';
import { useApi } from './api-context.tsx';

export type Resource = 'tool-calls' | 'trigger-events';

const PAGE_SIZE = 100;

/**
 * The `now` relative presets resolve against. It only moves when the filters change or the user
 * refreshes, so query keys stay stable between renders and the infinite list keeps its pages.
 */
export function usePinnedNow(filters: Filters, refreshToken: number): number {
  const key = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `filters`; refreshToken re-pins now.
  return useMemo(() => Date.now(), [key, refreshToken]);
}

export function useApiParams(filters: Filters, now: number): URLSearchParams {
  const key = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `filters`.
  return useMemo(() => filtersToApiParams(filters, now), [key, now]);
}

/** One page of a list resource, as the API answers it. */
export interface RowPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type FetchRowPage<T> = (api: ApiClient, params: URLSearchParams, signal: AbortSignal) => Promise<RowPage<T>>;

/** The pages of a list tab's rows, fetched one after another as the table scrolls. */
export function useRowPages<T>(resource: Resource, params: URLSearchParams, fetchPage: FetchRowPage<T>) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: [resource, params.toString()],
    queryFn: ({ pageParam, signal }) => fetchPage(api, withPage(params, pageParam), signal),
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

/**
 * The histogram of the list as fetched when live mode started: the baseline late arrivals are
 * counted from. Its own key and never refetched, so a late row cannot creep into it.
 */
export function useHistogramBaseline(resource: Resource, params: URLSearchParams, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['histogram-baseline', resource, params.toString()],
    queryFn: ({ signal }) => api.histogram(resource, params, signal),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

/**
 * The values a picker offers: the facets under every filter except the picker's own, so an
 * active picker still lists the alternatives (with their counts) instead of only its value.
 * Pickers without a value share one request (same query key).
 */
export function useFacet(
  resource: Resource,
  filters: Filters,
  now: number,
  field: FilterKey,
  facet: FacetKey,
): FacetValues | undefined {
  const api = useApi();
  const others = useMemo(() => withFilterValue(filters, field, null), [filters, field]);
  const params = useApiParams(others, now);
  const query = useQuery({
    queryKey: ['facets', resource, params.toString()],
    queryFn: ({ signal }): Promise<Partial<Record<FacetKey, FacetValues>>> =>
      resource === 'tool-calls' ? api.toolCallFacets(params, signal) : api.triggerEventFacets(params, signal),
    placeholderData: keepPreviousData,
  });
  return query.data?.[facet];
}

export type FacetKey = 'integrations' | 'toolNames' | 'triggerNames' | 'userIds' | 'statuses' | 'types';

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

export function useErrorGroups(params: URLSearchParams) {
  const api = useApi();
  return useQuery({
    queryKey: ['error-groups', params.toString()],
    queryFn: ({ signal }) => api.errorGroups(params, signal),
    placeholderData: keepPreviousData,
  });
}

export function useComparison(traceId: string, spanId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['compare', traceId, spanId],
    queryFn: ({ signal }) => api.compare(traceId, spanId, signal),
    enabled,
  });
}

export function useRetention() {
  const api = useApi();
  return useQuery({ queryKey: ['retention'], queryFn: ({ signal }) => api.retention(signal), refetchInterval: 60_000 });
}

/** What arrived for the project over the last 24 h and 7 d (the collector writes it every few seconds). */
export function useIngest(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: ['ingest'],
    queryFn: ({ signal }) => api.ingest(signal),
    refetchInterval: 30_000,
    enabled,
  });
}

/** The project's forwarding destinations with live status, polled while the page is open. */
export function useDestinations() {
  const api = useApi();
  return useQuery({
    queryKey: ['forwarding', 'destinations'],
    queryFn: ({ signal }) => api.destinations(signal),
    refetchInterval: 2_000,
    staleTime: 0,
  });
}
