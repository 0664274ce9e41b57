"""Async jobs: a Lambda function per step and a Step Functions Standard state machine per job kind.

Each machine is built from the phase list in `agent_memory.domain.operations.PHASES` (the one the local worker runs):
begin → each phase, looped while it reports `done: false` → finish. Every task retries the errors
`STEP_RETRY_ERRORS` names with backoff; any other error is caught and sent to the fail step, which marks the
operation failed and releases its lock. The execution's state is only `{operation_id, tenant, done}`: cursors and
results live in the table, so no payload approaches the 256 KiB limit however large the user's memory is.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks

from agent_memory import contract
from agent_memory.contract import STEP_RETRY_ERRORS, job_step_module
from agent_memory.domain.operations import PHASES, STEP_RETRY, JobKind, Phase
from constructs import Construct
from infra.config import StageConfig
from infra.constructs import permissions
from infra.constructs.encryption import encrypted_log_group
from infra.constructs.function import FunctionSpec, MemoryFunction
from infra.constructs.props import MemoryProps

# What each phase touches beyond the table: (embeds, converses, reads logs, deletes the user's logs and exports in
# every version, writes export files, search access: None | "read" | "write")
PHASE_NEEDS: dict[Phase, tuple[bool, bool, bool, bool, bool, str | None]] = {
    Phase.RESOLVE_DUPLICATES: (True, True, False, False, False, None),
    Phase.REFRESH_TOPICS: (True, True, False, False, False, None),
    Phase.BACKFILL_ENTITIES: (False, True, False, False, False, None),
    Phase.CONSOLIDATE_CONVERSATIONS: (True, True, True, False, False, "read"),
    Phase.GENERATE_EPISODES: (True, True, True, False, False, None),
    Phase.REINDEX: (True, False, False, False, False, "write"),
    Phase.ERASE_MEMORIES: (False, False, False, False, False, None),
    Phase.ERASE_SEARCH_INDEX: (False, False, False, False, False, "write"),
    Phase.ERASE_LOGS: (False, False, False, True, False, None),
    Phase.ERASE_RECORDS: (False, False, False, False, False, None),
    Phase.VERIFY_ERASURE: (False, False, False, True, False, "write"),
    Phase.EXPORT: (False, False, False, False, True, None),
}
STEP_TIMEOUT = Duration.minutes(15)
JOB_TIMEOUT = Duration.hours(12)


def camel(name: str) -> str:
    return "".join(part.title() for part in name.replace("-", "_").split("_"))


class JobOrchestration(Construct):
    def __init__(self, scope: Construct, construct_id: str, props: MemoryProps, *, bucket: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        config, key, table = props.config, props.key, props.table
        environment = contract.environment(conversation_bucket=bucket.bucket_name)

        def function(name: str, description: str, timeout: Duration) -> MemoryFunction:
            spec = FunctionSpec(f"functions.jobs.{name}.handler", description, timeout, environment=environment)
            fn = props.functions.build(self, f"{camel(name)}Step", spec, name=f"Job{camel(name)}")
            permissions.read_table(fn, table, key)
            permissions.write_table(fn, table, key)
            return fn

        self.functions: dict[str, MemoryFunction] = {
            "begin": function("begin", "job step: begin", Duration.seconds(30)),
            "finish": function("finish", "job step: finish", Duration.seconds(30)),
            "fail": function("fail", "job step: mark failed", Duration.seconds(30)),
        }
        for phase, (embeds, converses, reads_logs, erases_logs, writes_exports, search_access) in PHASE_NEEDS.items():
            fn = function(job_step_module(phase), f"job step: {phase.value}", STEP_TIMEOUT)
            if embeds:
                permissions.embed(fn)
            if converses:
                permissions.converse(fn, config.converse_model)
            if reads_logs:
                permissions.read_logs(fn, bucket, key)
            if erases_logs:
                permissions.erase_logs(fn, bucket)
            if writes_exports:
                permissions.write_exports(fn, bucket, key)
            if search_access is not None:
                props.search.grant(fn.role, write=search_access == "write")
            self.functions[job_step_module(phase)] = fn

        self.state_machines: dict[JobKind, sfn.StateMachine] = {
            kind: self._state_machine(kind, config, key) for kind in JobKind
        }

    def steps_of(self, kind: JobKind) -> list[MemoryFunction]:
        """The functions the state machine of `kind` invokes."""
        return [
            self.functions[name] for name in ("begin", *(job_step_module(p) for p in PHASES[kind]), "finish", "fail")
        ]

    def _task(self, scope: Construct, name: str, fn: MemoryFunction) -> tasks.LambdaInvoke:
        task = tasks.LambdaInvoke(
            scope,
            name,
            lambda_function=fn.function,
            payload_response_only=True,  # the function's answer is the next state, nothing wrapped around it
            retry_on_service_exceptions=False,  # STEP_RETRY below names Lambda's transient errors itself
        )
        task.add_retry(
            errors=list(STEP_RETRY_ERRORS),
            interval=Duration.seconds(STEP_RETRY.interval_seconds),
            backoff_rate=STEP_RETRY.backoff_rate,
            max_attempts=STEP_RETRY.max_attempts - 1,  # retries after the first attempt
        )
        return task

    def _state_machine(self, kind: JobKind, config: StageConfig, key: kms.IKey) -> sfn.StateMachine:
        scope = Construct(self, f"{camel(kind.value)}Job")
        failed = self._task(scope, "MarkFailed", self.functions["fail"]).next(
            sfn.Fail(scope, "JobFailed", error="JobFailed", cause="A step failed; the operation holds the error.")
        )

        def guarded(task: tasks.LambdaInvoke) -> tasks.LambdaInvoke:
            task.add_catch(failed, errors=["States.ALL"], result_path="$.error")
            return task

        begin = guarded(self._task(scope, "Begin", self.functions["begin"]))
        finish = guarded(self._task(scope, "Finish", self.functions["finish"])).next(sfn.Succeed(scope, "Done"))
        after: sfn.IChainable = finish
        # Built from the last phase back: each phase loops on itself until it reports done, then goes on.
        for phase in reversed(PHASES[kind]):
            step = guarded(self._task(scope, camel(phase.value), self.functions[job_step_module(phase)]))
            check = sfn.Choice(scope, f"{camel(phase.value)}Done")
            check.when(sfn.Condition.boolean_equals("$.done", True), after).otherwise(step)
            step.next(check)
            after = step
        begin.next(after)
        return sfn.StateMachine(
            scope,
            "StateMachine",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_chainable(begin),
            timeout=JOB_TIMEOUT,
            tracing_enabled=True,
            comment=f"agent-memory {kind.value} job: " + " → ".join(p.value for p in PHASES[kind]),
            logs=sfn.LogOptions(
                destination=encrypted_log_group(scope, "Logs", config=config, key=key),
                level=sfn.LogLevel.ALL,
                include_execution_data=False,  # states carry ids only, but memories never belong in logs
            ),
        )
