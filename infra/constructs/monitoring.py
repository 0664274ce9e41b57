"""Alarms (errors and throttles of every function, API 5xx and latency, stream dead letters and stream lag) to one
encrypted topic, and a dashboard of the whole service."""

from __future__ import annotations

from collections.abc import Collection

import jsii
from aws_cdk import Duration, NestedStack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs

from agent_memory.contract import METRIC_NAMESPACE, SERVICE_NAME
from constructs import Construct, IValidation
from infra.constructs.props import MemoryProps

FIVE_MINUTES = Duration.minutes(5)
DEAD_LETTER_MEANING = {
    "StreamDeadLetters": "Stream records the indexer gave up on: search is missing writes until a reindex or redrive",
    "GraphDeadLetters": "Stream records the graph projector gave up on: the graph misses those writes until a redrive",
    "IngestDeadLetters": "Conversation logs rejected (reason in the message) or failing after retries",
}
DeadLetters = dict[str, sqs.IQueue]  # by alarm name (DEAD_LETTER_MEANING says what each holds)
# How far a stream consumer may fall behind: the erasure's settle wait (ERASURE_SETTLE_SECONDS, by default the index
# refresh of 60 s). Past it, search shows writes late, and an erasure can be verified before a late document's
# REMOVE record (which follows it in the same shard) deletes it again.
STREAM_LAG_ALARM = Duration.seconds(60)


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        props: MemoryProps,
        *,
        api: apigw.RestApi,
        dead_letters: DeadLetters,
        stream_consumers: Collection[str] = (),
    ) -> None:
        """Alarms on every function the factory built (by the name it built it under), the API, `dead_letters`, and
        the lag of the functions named in `stream_consumers`."""
        super().__init__(scope, construct_id)
        config, table, functions = props.config, props.table, dict(props.functions.built)
        # A function built after this construct would have no alarms: synthesis refuses it.
        self.node.add_validation(_Unwatched(functions, props.functions.built))
        self.topic = sns.Topic(self, "Alarms", display_name=f"agent-memory {config.name} alarms", master_key=props.key)
        self.topic.add_to_resource_policy(_deny_insecure_transport(self.topic))
        if config.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        notify = actions.SnsAction(self.topic)
        self.alarms: list[cw.Alarm] = []

        def alarm(name: str, metric: cw.IMetric, threshold: float, description: str) -> None:
            created = cw.Alarm(
                self,
                name,
                metric=metric,
                threshold=threshold,
                evaluation_periods=1,
                comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
                alarm_description=description,
            )
            created.add_alarm_action(notify)
            self.alarms.append(created)

        for name, fn in functions.items():
            alarm(f"{name}Errors", fn.function.metric_errors(period=FIVE_MINUTES), 1, f"{name}: invocations failed")
            alarm(f"{name}Throttles", fn.function.metric_throttles(period=FIVE_MINUTES), 1, f"{name}: throttled")
        for name in stream_consumers:
            alarm(
                f"{name}IteratorAge",
                functions[name].function.metric("IteratorAge", statistic="Maximum", period=FIVE_MINUTES),
                STREAM_LAG_ALARM.to_milliseconds(),
                f"{name}: stream records waited over {STREAM_LAG_ALARM.to_seconds()} s; writes reach it late",
            )
        alarm("Api5xx", api.metric_server_error(period=FIVE_MINUTES), 5, "API answered 5xx")
        alarm(
            "ApiLatencyP99",
            api.metric_latency(period=FIVE_MINUTES, statistic="p99"),
            3000,
            "API p99 latency over 3 s",
        )
        for name, queue in dead_letters.items():
            alarm(
                name,
                queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES),
                1,
                DEAD_LETTER_MEANING.get(name, "messages given up on"),
            )

        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=f"agent-memory-{config.name}")
        self.dashboard.add_widgets(
            cw.GraphWidget(title="API requests", left=[api.metric_count(period=FIVE_MINUTES)], width=8),
            cw.GraphWidget(
                title="API errors",
                left=[api.metric_client_error(period=FIVE_MINUTES), api.metric_server_error(period=FIVE_MINUTES)],
                width=8,
            ),
            cw.GraphWidget(
                title="API latency",
                left=[api.metric_latency(statistic=s, period=FIVE_MINUTES) for s in ("p50", "p90", "p99")],
                width=8,
            ),
        )
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Function errors",
                left=[fn.function.metric_errors(period=FIVE_MINUTES, label=name) for name, fn in functions.items()],
                width=8,
            ),
            cw.GraphWidget(
                title="Function duration p90",
                left=[
                    fn.function.metric_duration(period=FIVE_MINUTES, statistic="p90", label=name)
                    for name, fn in functions.items()
                ],
                width=8,
            ),
            cw.GraphWidget(
                title="Keys and stream",
                left=[
                    cw.Metric(namespace=METRIC_NAMESPACE, metric_name=name, dimensions_map={"service": SERVICE_NAME},
                              statistic="Sum", period=FIVE_MINUTES)
                    for name in ("KeysAllowed", "KeysDenied", "StreamRecordsIndexed", "StreamRecordsDeleted",
                                 "LogMessagesIngested", "LogMemoriesSaved", "LogLinesMalformed", "LogObjectsGone")
                ],
                width=8,
            ),
        )  # fmt: skip
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="DynamoDB",
                left=[
                    table.metric_consumed_read_capacity_units(period=FIVE_MINUTES),
                    table.metric_consumed_write_capacity_units(period=FIVE_MINUTES),
                ],
                right=[table.metric_throttled_requests_for_operations(period=FIVE_MINUTES)],
                width=12,
            ),
            cw.GraphWidget(
                title="Dead letters",
                left=[
                    queue.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES, label=name)
                    for name, queue in dead_letters.items()
                ],
                width=12,
            ),
        )


@jsii.implements(IValidation)
class _Unwatched:
    def __init__(self, watched: Collection[str], built: Collection[str]) -> None:
        self._watched, self._built = watched, built

    def validate(self) -> list[str]:
        late = sorted(set(self._built) - set(self._watched))
        return [f"built after Monitoring, so without alarms: {', '.join(late)}"] if late else []


def _deny_insecure_transport(topic: sns.ITopic) -> iam.PolicyStatement:
    return iam.PolicyStatement(
        effect=iam.Effect.DENY,
        principals=[iam.AnyPrincipal()],
        actions=["sns:Publish"],
        resources=[topic.topic_arn],
        conditions={"Bool": {"aws:SecureTransport": "false"}},
    )


class MonitoringStack(NestedStack):
    """The alarms, their topic and the dashboard in a nested stack of their own: two alarms per function would
    otherwise take the stage past CloudFormation's 500 resources per stack. It reads the functions, queues and API
    of its parent (CDK passes their names as parameters)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        props: MemoryProps,
        *,
        api: apigw.RestApi,
        dead_letters: DeadLetters,
        stream_consumers: Collection[str],
    ) -> None:
        super().__init__(scope, construct_id, description=f"agent-memory {props.config.name}: alarms and dashboard")
        self.monitoring = Monitoring(
            self, "Monitoring", props, api=api, dead_letters=dead_letters, stream_consumers=stream_consumers
        )
