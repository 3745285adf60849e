/**
 * The query API client (DESIGN §6): Bearer read key on every request, JSON responses validated
 * against the conventions' schemas, errors as `ApiError` carrying the API's code and message.
 */

import {
  ApiErrorSchema,
  DestinationListSchema,
  DestinationTestResultSchema,
  DestinationViewSchema,
  ErrorGroupsSchema,
  HistogramSchema,
  ProjectIngestSchema,
  type RetentionPreviewResponse,
  RetentionPreviewSchema,
  type RetentionStatusResponse,
  RetentionStatusSchema,
  ToolCallComparisonSchema,
  ToolCallFacetsSchema,
  ToolCallPageSchema,
  TraceDetailSchema,
  TriggerEventDetailSchema,
  TriggerEventFacetsSchema,
  TriggerEventPageSchema,
} from '@tooltrace/conventions';
import type { z } from 'zod';
import { parseResponse } from '../model/parse-response.ts';
import type { RetentionChange } from '../model/retention-change.ts';
import { createSseParser, type SseMessage } from '../model/sse.ts';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  baseUrl?: string;
  getReadKey: () => string | null;
  /** Called on 401 so the app can return to the sign-in form. */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: ApiClientOptions) {
  const base = `${options.baseUrl ?? ''}/api/v1`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request(path: string, params?: URLSearchParams, init: RequestInit = {}): Promise<Response> {
    const key = options.getReadKey();
    const url = `${base}${path}${params && params.size > 0 ? `?${params}` : ''}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        ...init,
        headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...init.headers },
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'network', 'Could not reach the tooltrace API. Is `tooltrace start` still running?');
    }
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  async function toApiError(response: Response): Promise<ApiError> {
    if (response.status === 401) options.onUnauthorized?.();
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // not JSON: fall through to the generic message
    }
    const parsed = ApiErrorSchema.safeParse(body);
    if (parsed.success) return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    return new ApiError(
      response.status,
      `http_${response.status}`,
      `The API answered ${response.status} ${response.statusText}`.trim(),
    );
  }

  async function getJson<T>(
    schema: z.ZodType<T>,
    path: string,
    params?: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await request(path, params, { signal, headers: { Accept: 'application/json' } });
    return parseResponse(schema, await response.json(), `GET ${path}`);
  }

  /** A change (admin key): JSON in, the answer checked against `schema`. */
  async function sendJson<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    const response = await request(path, undefined, {
      method,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return parseResponse(schema, await response.json(), `${method} ${path}`);
  }

  const id = (value: string) => encodeURIComponent(value);
  const destination = (destinationId: string) => `/forwarding/destinations/${id(destinationId)}`;

  return {
    toolCalls: (params: URLSearchParams, signal?: AbortSignal) =>
      getJson(ToolCallPageSchema, '/tool-calls', params, signal),
    triggerEvents: (params: URLSearchParams, signal?: AbortSignal) =>
      getJson(TriggerEventPageSchema, '/trigger-events', params, signal),
    trace: (traceId: string, signal?: AbortSignal) =>
      getJson(TraceDetailSchema, `/traces/${id(traceId)}`, undefined, signal),
    triggerEvent: (eventId: string, signal?: AbortSignal) =>
      getJson(TriggerEventDetailSchema, `/trigger-events/${id(eventId)}`, undefined, signal),
    toolCallFacets: (params: URLSearchParams, signal?: AbortSignal) =>
      getJson(ToolCallFacetsSchema, '/facets/tool-calls', params, signal),
    triggerEventFacets: (params: URLSearchParams, signal?: AbortSignal) =>
      getJson(TriggerEventFacetsSchema, '/facets/trigger-events', params, signal),
    compare: (traceId: string, spanId: string, signal?: AbortSignal) =>
      getJson(ToolCallComparisonSchema, `/tool-calls/${id(traceId)}/compare`, new URLSearchParams({ spanId }), signal),
    errorGroups: (params: URLSearchParams, signal?: AbortSignal) =>
      getJson(ErrorGroupsSchema, '/error-groups/tool-calls', params, signal),
    histogram: (resource: 'tool-calls' | 'trigger-events', params: URLSearchParams, signal?: AbortSignal) =>
      getJson(HistogramSchema, `/histogram/${resource}`, params, signal),
    retention: (signal?: AbortSignal) => getJson(RetentionStatusSchema, '/project/retention', undefined, signal),
    ingest: (signal?: AbortSignal) => getJson(ProjectIngestSchema, '/project/ingest', undefined, signal),
    destinations: (signal?: AbortSignal) =>
      getJson(DestinationListSchema, '/forwarding/destinations', undefined, signal),
    createDestination: (body: unknown) => sendJson(DestinationViewSchema, 'POST', '/forwarding/destinations', body),
    updateDestination: (destinationId: string, body: unknown) =>
      sendJson(DestinationViewSchema, 'PATCH', destination(destinationId), body),
    deleteDestination: (destinationId: string) => request(destination(destinationId), undefined, { method: 'DELETE' }),
    testDestination: (destinationId: string) =>
      sendJson(DestinationTestResultSchema, 'POST', `${destination(destinationId)}/test`),
    /** Changes plan and limits; the API answers 403 `admin_key_required` to a read key. */
    updateRetention: (change: RetentionChange): Promise<RetentionStatusResponse> =>
      sendJson(RetentionStatusSchema, 'PUT', '/project/retention', change),
    /** The exact number of logs the change would delete now; changes nothing (read or admin key). */
    previewRetention: (change: RetentionChange): Promise<RetentionPreviewResponse> =>
      sendJson(RetentionPreviewSchema, 'POST', '/project/retention/preview', change),

    /** The whole export as a Blob (fetch, because a plain link cannot carry the Bearer header). */
    async exportBlob(resource: 'tool-calls' | 'trigger-events', params: URLSearchParams): Promise<Blob> {
      const response = await request(`/${resource}`, params);
      return response.blob();
    },

    /** Reads an SSE stream until `signal` aborts; resolves when the server ends it. */
    async stream(
      resource: 'tool-calls' | 'trigger-events',
      params: URLSearchParams,
      handlers: { onOpen?: () => void; onMessage: (message: SseMessage) => void },
      signal: AbortSignal,
    ): Promise<void> {
      const response = await request(`/${resource}/stream`, params, {
        signal,
        headers: { Accept: 'text/event-stream' },
      });
      if (!response.body) throw new ApiError(0, 'stream', 'The browser did not expose the live stream');
      handlers.onOpen?.();
      const parser = createSseParser((message) => {
        // The server ends a feed whose key was rotated; the app then asks for the new key.
        if (message.event === 'key_rotated') options.onUnauthorized?.();
        else handlers.onMessage(message);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.push(value);
      }
    },
  };
}
