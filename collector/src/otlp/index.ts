export { decodeLogsRequest, decodeTracesRequest } from './decode.ts';
export { encodeExportResponse, type PartialSuccess } from './encode-response.ts';
export { encodeRpcStatus, RPC_CODE, type RpcCode, rpcStatusJson } from './rpc-status.ts';
export * from './types.ts';
