import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeExportFailure, ExportFailureNotices } from './export-failures.ts';

/** The error shape of @opentelemetry/otlp-exporter-base's OTLPExporterError: HTTP status in `code`, body text in `data`. */
function answered(status: number, data: string): Error {
  return Object.assign(new Error(http.STATUS_CODES[status]), { code: status, data });
}

async function connectionRefused(): Promise<Error> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return new Promise((resolve) => {
    http.request({ host: '127.0.0.1', port, method: 'POST' }).on('error', resolve).end();
  });
}

describe('describeExportFailure', () => {
  it('when the collector answers 401 in JSON, then it is unauthorized with the collector message', () => {
    const error = answered(401, JSON.stringify({ code: 16, message: 'unknown ingest key' }));
    expect(describeExportFailure(error)).toEqual({ kind: 'unauthorized', reason: '401: unknown ingest key' });
  });

  it('when the collector answers 403 as a protobuf google.rpc.Status, then its message is read from field 2', () => {
    const message = Buffer.from('this is a read key; sending telemetry takes the ingest key');
    const status = Buffer.concat([Buffer.from([0x08, 0x07, 0x12, message.length]), message]).toString('utf8');
    expect(describeExportFailure(answered(403, status))).toEqual({
      kind: 'unauthorized',
      reason: `403: ${message.toString()}`,
    });
  });

  it('when the body is too large or malformed, then the kinds are too_large and rejected', () => {
    expect(describeExportFailure(answered(413, '{"message":"body over 64 MiB"}')).kind).toBe('too_large');
    expect(describeExportFailure(answered(400, '{"message":"resourceSpans[0]: bad"}'))).toEqual({
      kind: 'rejected',
      reason: '400: resourceSpans[0]: bad',
    });
  });

  it('when nothing listens on the port, then it is unreachable', async () => {
    expect(describeExportFailure(await connectionRefused()).kind).toBe('unreachable');
  });
});

describe('ExportFailureNotices', () => {
  it('when failures repeat, then each kind is said once and every failure is counted', async () => {
    const said: string[] = [];
    const notices = new ExportFailureNotices((message) => said.push(message));
    const wrongKey = answered(401, '{"message":"unknown ingest key"}');
    notices.report(wrongKey, 'traces');
    notices.report(wrongKey, 'logs');
    notices.report(await connectionRefused(), 'traces');
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/^tooltrace: exporting traces failed \(401: unknown ingest key\); .*TOOLTRACE_INGEST_KEY/);
    expect(said[1]).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(notices.counts()).toEqual({ unauthorized: 2, unreachable: 1 });
  });
});
