"""OpenTelemetry tracing: spans for every request, exported over OTLP/HTTP when an
endpoint is configured; nothing is set up (and nothing exported) otherwise."""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


def traces_url(endpoint: str) -> str:
    """Accept either a collector base URL or the full `/v1/traces` URL."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/v1/traces") else f"{base}/v1/traces"


def setup_tracing(
    app: FastAPI, *, endpoint: str | None, service_name: str, version: str
) -> TracerProvider | None:
    if endpoint is None:
        return None
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service_name, SERVICE_VERSION: version})
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(endpoint))))
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics"
    )
    return provider
