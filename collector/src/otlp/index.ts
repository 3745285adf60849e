export { decodeLogsRequest, decodeTracesRequest } from './decode.ts';
export { encodeExportResponse, encodeRpcStatus, type PartialSuccess, RPC_CODE } from './encode-response.ts';
export * from './types.ts';
