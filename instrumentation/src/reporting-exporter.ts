/**
 * Exporters report failures only to the OpenTelemetry diag logger, which is
 * silent by default. Wrapping them lets the application hear about a batch
 * that never reached the collector (wrong key, collector down).
 */
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

export type ExportSignal = 'traces' | 'logs';
export type ExportFailureListener = (error: Error, signal: ExportSignal) => void;

interface Exporter<Item> {
  export(items: Item[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** The same exporter, also telling `onFailure` about every batch that did not get through. */
export function reportingExporter<Item>(
  inner: Exporter<Item>,
  signal: ExportSignal,
  onFailure: ExportFailureListener,
): Exporter<Item> & { forceFlush(): Promise<void> } {
  return {
    export(items, resultCallback) {
      inner.export(items, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          onFailure(result.error ?? new Error(`exporting ${items.length} ${signal} items failed`), signal);
        }
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
