"""An AI agent in Python that reports its tool calls to tooltrace with plain OpenTelemetry.

No tooltrace package: the OpenTelemetry SDK and its OTLP/HTTP exporter, sending the attributes
that docs/sending-telemetry.md lists.

    TOOLTRACE_ENDPOINT=http://127.0.0.1:4318 TOOLTRACE_INGEST_KEY=tt_ingest_... python agent.py
    (TOOLTRACE_GRPC_ENDPOINT=127.0.0.1:4317 also sends one span over OTLP/gRPC)

Prints the trace IDs it sent, as JSON.
"""

import json
import os

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

endpoint = os.environ["TOOLTRACE_ENDPOINT"].rstrip("/")
key = os.environ["TOOLTRACE_INGEST_KEY"]
user = os.environ.get("EXAMPLE_USER_ID", "py-user-1")

provider = TracerProvider(resource=Resource.create({"service.name": "python-agent"}))
provider.add_span_processor(
    BatchSpanProcessor(
        OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", headers={"authorization": f"Bearer {key}"})
    )
)
tracer = provider.get_tracer("python-agent")
sent = {}


def hex_trace_id(span):
    return format(span.get_span_context().trace_id, "032x")


# 1. An agent run (GenAI conventions): the user is on the invoke_agent span as enduser.id, the
#    execute_tool spans under it carry only the tool; tooltrace takes the user from the ancestor.
with tracer.start_as_current_span("invoke_agent weather-bot", kind=SpanKind.INTERNAL) as agent:
    agent.set_attribute("gen_ai.operation.name", "invoke_agent")
    agent.set_attribute("gen_ai.agent.name", "weather-bot")
    agent.set_attribute("enduser.id", user)
    for call_id, city in (("call_weather_1", "Paris"), ("call_weather_2", "Oslo")):
        with tracer.start_as_current_span("execute_tool get_weather", kind=SpanKind.INTERNAL) as tool:
            tool.set_attribute("gen_ai.operation.name", "execute_tool")
            tool.set_attribute("gen_ai.tool.name", "get_weather")
            tool.set_attribute("gen_ai.tool.call.id", call_id)
            tool.set_attribute("gen_ai.tool.call.arguments", json.dumps({"city": city}))
    sent["agent"] = hex_trace_id(agent)

# 2. An MCP server's tools/call (MCP conventions), user on the span.
with tracer.start_as_current_span("tools/call get_forecast", kind=SpanKind.SERVER) as mcp:
    mcp.set_attribute("mcp.method.name", "tools/call")
    mcp.set_attribute("gen_ai.tool.name", "get_forecast")
    mcp.set_attribute("user.id", user)
    sent["mcp"] = hex_trace_id(mcp)

# 3. A tool call in tooltrace's own conventions, with a provider request that succeeds: its body
#    attribute is sent but never stored (bodies are kept only on errors).
with tracer.start_as_current_span("run_tool GITHUB_CREATE_ISSUE", kind=SpanKind.SERVER) as call:
    call.set_attribute("tooltrace.kind", "tool_call")
    call.set_attribute("tooltrace.tool_call.type", "run_tool")
    call.set_attribute("gen_ai.operation.name", "execute_tool")
    call.set_attribute("gen_ai.tool.name", "GITHUB_CREATE_ISSUE")
    call.set_attribute("tooltrace.integration", "github")
    call.set_attribute("user.id", user)
    with tracer.start_as_current_span("POST api.github.com", kind=SpanKind.CLIENT) as request:
        request.set_attribute("tooltrace.kind", "provider_request")
        request.set_attribute("http.request.method", "POST")
        request.set_attribute("url.full", "https://api.github.com/repos/acme/app/issues")
        request.set_attribute("http.response.status_code", 201)
        request.set_attribute("tooltrace.http.response.body", '{"number": 42}')
    sent["tooltrace"] = hex_trace_id(call)

# 4. A tool call that fails on the provider (429), with the provider's answer as the body.
with tracer.start_as_current_span("run_tool GITHUB_LIST_ISSUES", kind=SpanKind.SERVER) as failing:
    failing.set_attribute("tooltrace.kind", "tool_call")
    failing.set_attribute("tooltrace.tool_call.type", "run_tool")
    failing.set_attribute("gen_ai.tool.name", "GITHUB_LIST_ISSUES")
    failing.set_attribute("tooltrace.integration", "github")
    failing.set_attribute("user.id", user)
    with tracer.start_as_current_span("GET api.github.com", kind=SpanKind.CLIENT) as request:
        request.set_attribute("tooltrace.kind", "provider_request")
        request.set_attribute("http.request.method", "GET")
        request.set_attribute("url.full", "https://api.github.com/repos/acme/app/issues")
        request.set_attribute("http.response.status_code", 429)
        request.set_attribute("tooltrace.http.response.body", '{"message": "API rate limit exceeded"}')
        request.set_status(Status(StatusCode.ERROR, "HTTP 429"))
    failing.set_attribute("error.type", "429")
    failing.set_attribute("tooltrace.error.message", "GitHub rate limit")
    failing.set_status(Status(StatusCode.ERROR, "GitHub rate limit"))
    sent["failing"] = hex_trace_id(failing)

provider.shutdown()  # flushes

# 5. The same over OTLP/gRPC (port 4317 by default), when TOOLTRACE_GRPC_ENDPOINT is set.
grpc_endpoint = os.environ.get("TOOLTRACE_GRPC_ENDPOINT")
if grpc_endpoint:
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcSpanExporter

    grpc_provider = TracerProvider(resource=Resource.create({"service.name": "python-agent"}))
    grpc_provider.add_span_processor(
        BatchSpanProcessor(
            GrpcSpanExporter(endpoint=grpc_endpoint, insecure=True, headers=(("authorization", f"Bearer {key}"),))
        )
    )
    with grpc_provider.get_tracer("python-agent").start_as_current_span(
        "execute_tool lookup_order", kind=SpanKind.INTERNAL
    ) as over_grpc:
        over_grpc.set_attribute("gen_ai.operation.name", "execute_tool")
        over_grpc.set_attribute("gen_ai.tool.name", "lookup_order")
        over_grpc.set_attribute("gen_ai.tool.call.id", "call_order_1")
        over_grpc.set_attribute("user.id", user)
        sent["grpc"] = hex_trace_id(over_grpc)
    grpc_provider.shutdown()

print(json.dumps(sent))
