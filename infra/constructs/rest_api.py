"""The REST API: key authorizer (also the usage-plan key source), one route per function, usage plan and stage
throttling, access logs, and gateway responses that speak problem+json like the functions do."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw

from agent_memory.contract import API_KEY_HEADER, PROBLEM_MEDIA_TYPE, problem_type
from constructs import Construct
from infra.catalog import ApiFunction
from infra.constructs.encryption import encrypted_log_group
from infra.constructs.function import MemoryFunction
from infra.constructs.props import MemoryProps

PROBLEM_HEADERS = {"Content-Type": f"'{PROBLEM_MEDIA_TYPE}'"}
MESSAGE = "$context.error.messageString"

UNAUTHENTICATED = ("401", "unauthenticated", "Missing or invalid API key")
NO_KEY = f"Send a valid API key in the {API_KEY_HEADER} header or as Authorization: Bearer <key>."
AUTHORIZER_UNAVAILABLE = ("503", "authorizer_unavailable", "Authorization temporarily unavailable",
                          "The key could not be checked; retry shortly.")  # fmt: skip

# (gateway response, status, code, title, detail): API Gateway's own refusals, in the functions' error format.
GATEWAY_PROBLEMS = [
    (apigw.ResponseType.UNAUTHORIZED, *UNAUTHENTICATED, NO_KEY),
    (apigw.ResponseType.ACCESS_DENIED, *UNAUTHENTICATED, "$context.authorizer.reason"),
    (apigw.ResponseType.INVALID_API_KEY, "403", "key_not_metered", "Key not in a usage plan",
     "This API key is not attached to a usage plan; ask the operator to attach it."),
    (apigw.ResponseType.THROTTLED, "429", "rate_limited", "Too many requests",
     "The request rate of this key or stage is over its limit; retry with backoff."),
    (apigw.ResponseType.QUOTA_EXCEEDED, "429", "quota_exceeded", "Quota exceeded",
     "This key has used its daily quota."),
    (apigw.ResponseType.REQUEST_TOO_LARGE, "413", "payload_too_large", "Payload too large",
     "The request body is over the API's size limit."),
    (apigw.ResponseType.WAF_FILTERED, "403", "request_blocked", "Request blocked",
     "The request was blocked by the API's firewall rules (size, rate or a known-bad pattern)."),
    (apigw.ResponseType.BAD_REQUEST_PARAMETERS, "422", "invalid_input", "Invalid input", MESSAGE),
    (apigw.ResponseType.AUTHORIZER_FAILURE, *AUTHORIZER_UNAVAILABLE),
    (apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, *AUTHORIZER_UNAVAILABLE),
    (apigw.ResponseType.DEFAULT_4_XX, None, "request_refused", "Request refused", MESSAGE),
    (apigw.ResponseType.DEFAULT_5_XX, None, "gateway_error", "Gateway error", MESSAGE),
]  # fmt: skip


def problem_template(status: str | None, code: str, title: str, detail: str) -> str:
    """A problem document as a mapping template. `$context.error.messageString` is already a quoted JSON string."""
    fields = [
        f'"type": "{problem_type(code)}"',
        f'"title": "{title}"',
        *([f'"status": {int(status)}'] if status else []),
        f'"detail": {detail}' if detail == MESSAGE else f'"detail": "{detail}"',
        f'"code": "{code}"',
    ]
    return "{" + ", ".join(fields) + "}"


class RestApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        props: MemoryProps,
        *,
        authorizer_function: MemoryFunction,
        functions: dict[ApiFunction, MemoryFunction],
    ) -> None:
        super().__init__(scope, construct_id)
        config = props.config
        self.access_logs = encrypted_log_group(self, "AccessLogs", config=config, key=props.key)
        self.api = apigw.RestApi(
            self,
            "Api",
            rest_api_name=f"agent-memory-{config.name}",
            description="agent-memory: long-term memory for AI assistants and agents",
            api_key_source_type=apigw.ApiKeySourceType.AUTHORIZER,
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # The account-wide logging role belongs to infra/stacks/api_gateway_account.py, never to a stage.
            cloud_watch_role=False,
            deploy_options=apigw.StageOptions(
                stage_name=config.name,
                access_log_destination=apigw.LogGroupLogDestination(self.access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # request bodies hold end-user memories: never logged by the gateway
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=config.throttle_rate,
                throttling_burst_limit=config.throttle_burst,
            ),
        )
        # No identity source, so no caching: the key comes in X-API-Key or in Authorization (Bearer), and API Gateway
        # refuses without invoking the authorizer when any identity source is missing. Revocation is immediate.
        self.authorizer = apigw.RequestAuthorizer(
            self,
            "KeyAuthorizer",
            handler=authorizer_function.target,
            identity_sources=[],
            results_cache_ttl=Duration.seconds(0),
        )
        validator = self.api.add_request_validator(
            "Parameters", validate_request_parameters=True, validate_request_body=True
        )
        for operation, fn in functions.items():
            resource = self.api.root.resource_for_path(operation.path)
            integration = apigw.LambdaIntegration(fn.target, allow_test_invoke=False)
            if operation.public:
                resource.add_method(operation.method, integration, request_validator=validator)
                continue
            resource.add_method(
                operation.method,
                integration,
                authorizer=self.authorizer,
                authorization_type=apigw.AuthorizationType.CUSTOM,
                api_key_required=True,
                request_validator=validator,
            )
        for response_type, status, code, title, detail in GATEWAY_PROBLEMS:
            self.api.add_gateway_response(
                f"Problem{response_type.response_type}",
                type=response_type,
                status_code=status,
                response_headers=PROBLEM_HEADERS,
                templates={"application/json": problem_template(status, code, title, detail)},
            )
        self.usage_plan = self.api.add_usage_plan(
            "DefaultPlan",
            name=f"agent-memory-{config.name}-default",
            description="Keys created with `agent-memory keys create` join this plan",
            throttle=apigw.ThrottleSettings(rate_limit=config.throttle_rate, burst_limit=config.throttle_burst),
            quota=apigw.QuotaSettings(limit=config.quota_per_day, period=apigw.Period.DAY),
            api_stages=[apigw.UsagePlanPerApiStage(api=self.api, stage=self.api.deployment_stage)],
        )
