"""The cold-start yardstick: a bare Powertools REST resolver with one route and the same Logger, Tracer and Metrics
as agent-memory's functions. `agent-memory bench cold-start` measures its init beside every function's."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths

logger = Logger(service="reference")
metrics = Metrics(service="reference", namespace="Reference")
tracer = Tracer(service="reference")
app = APIGatewayRestResolver()


@app.get("/v1/memories/<memory_id>")
def get_memory(memory_id: str) -> dict[str, str]:
    return {"id": memory_id}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
