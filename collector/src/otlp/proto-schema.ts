/**
 * Our own protobuf definition of the OTLP/HTTP request and response messages
 * (opentelemetry-proto: collector/{trace,logs}/v1, trace/v1, logs/v1,
 * common/v1, resource/v1) (google.rpc.Status is in ./rpc-status.ts). Field
 * numbers follow the OTLP specification. Only the fields tooltrace reads are
 * declared: protobuf skips unknown fields, so links, flags, dropped counts and
 * future additions decode fine and are ignored.
 */
import protobuf from 'protobufjs';

const OTLP_PROTO = `
syntax = "proto3";
package tooltrace.otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue {
  string key = 1;
  AnyValue value = 2;
}
message InstrumentationScope {
  string name = 1;
  string version = 2;
}
message Resource { repeated KeyValue attributes = 1; }

message Status {
  string message = 2;
  int32 code = 3;
}
message SpanEvent {
  fixed64 time_unix_nano = 1;
  string name = 2;
  repeated KeyValue attributes = 3;
}
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  repeated SpanEvent events = 11;
  Status status = 15;
}
message ScopeSpans {
  InstrumentationScope scope = 1;
  repeated Span spans = 2;
}
message ResourceSpans {
  Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
}
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess {
  int64 rejected_spans = 1;
  string error_message = 2;
}
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }

message LogRecord {
  fixed64 time_unix_nano = 1;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  bytes trace_id = 9;
  bytes span_id = 10;
  fixed64 observed_time_unix_nano = 11;
  string event_name = 12;
}
message ScopeLogs {
  InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
}
message ResourceLogs {
  Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
}
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsPartialSuccess {
  int64 rejected_log_records = 1;
  string error_message = 2;
}
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
`;

const root = protobuf.parse(OTLP_PROTO).root;

export const ExportTraceServiceRequest = root.lookupType('tooltrace.otlp.ExportTraceServiceRequest');
export const ExportTraceServiceResponse = root.lookupType('tooltrace.otlp.ExportTraceServiceResponse');
export const ExportLogsServiceRequest = root.lookupType('tooltrace.otlp.ExportLogsServiceRequest');
export const ExportLogsServiceResponse = root.lookupType('tooltrace.otlp.ExportLogsServiceResponse');
