"""The IAM statements a function may receive, each as narrow as the service allows."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs

from agent_memory.adapters.aws.bedrock import TITAN_V2
from agent_memory.adapters.aws.dynamo import schema
from agent_memory.adapters.aws.export_objects import EXPORT_PREFIX
from agent_memory.domain.conversation_log import PREFIX
from infra.bedrock_models import converse_model
from infra.constructs.function import MemoryFunction

READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"]
WRITE_ACTIONS = [
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",  # transactions are authorised per contained action
]
# A recall bumps this attribute of the memory's counter item, created on the first recall only while the memory exists
# (a ConditionCheck on it in the same transaction) (see dynamo.recall_counters), and records what it returned in a
# recall item (`memory_ids`, `recalled_at`: see dynamo.recalls); nothing else.
RECALL_ATTRIBUTES = ["pk", "sk", "access_count", "memory_ids", "recalled_at"]


def _via(service: str, stack: Stack) -> dict[str, object]:
    return {"StringEquals": {"kms:ViaService": f"{service}.{stack.region}.amazonaws.com"}}


def read_table(fn: MemoryFunction, table: dynamodb.ITable, key: kms.IKey) -> None:
    indexes = [f"{table.table_arn}/index/{name}" for name in (schema.GSI1, schema.LSI1)]
    fn.allow(READ_ACTIONS, [table.table_arn, *indexes])
    fn.allow(["kms:Decrypt", "kms:DescribeKey"], [key.key_arn], _via("dynamodb", Stack.of(fn)))


def write_table(fn: MemoryFunction, table: dynamodb.ITable, key: kms.IKey) -> None:
    fn.allow(WRITE_ACTIONS, [table.table_arn])
    fn.allow(["kms:Encrypt", "kms:GenerateDataKey"], [key.key_arn], _via("dynamodb", Stack.of(fn)))


def count_recalls(fn: MemoryFunction, table: dynamodb.ITable, key: kms.IKey) -> None:
    """UpdateItem (and the ConditionCheck beside it) limited to `access_count`: a search function can count what it
    returned and change nothing else."""
    fn.allow(
        ["dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
        [table.table_arn],
        {
            "ForAllValues:StringEquals": {"dynamodb:Attributes": RECALL_ATTRIBUTES},
            "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
        },
    )
    fn.allow(["kms:Encrypt", "kms:GenerateDataKey"], [key.key_arn], _via("dynamodb", Stack.of(fn)))


def project_graph(fn: MemoryFunction, table: dynamodb.ITable, key: kms.IKey) -> None:
    """Reads and writes of items in user partitions only (`U#...`): the graph projector's adjacency items, and the
    ConditionCheck on the memory item it projects."""
    users = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["U#*"]}}
    fn.allow(
        [
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
        ],
        [table.table_arn],
        users,
    )
    fn.allow(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [key.key_arn], _via("dynamodb", Stack.of(fn)))


def embed(fn: MemoryFunction) -> None:
    stack = Stack.of(fn)
    fn.allow(["bedrock:InvokeModel"], [f"arn:{stack.partition}:bedrock:{stack.region}::foundation-model/{TITAN_V2}"])


def converse(fn: MemoryFunction, model_id: str) -> None:
    """Converse on the stage's chat model: a foundation model in this Region, or an inference profile and the
    foundation model in each Region it routes to (see infra/bedrock_models.py)."""
    for resources, condition in converse_model(model_id).resources(Stack.of(fn)):
        fn.allow(["bedrock:InvokeModel"], resources, condition)


def read_secret(fn: MemoryFunction, secret: secretsmanager.ISecret, key: kms.IKey) -> None:
    fn.allow(["secretsmanager:GetSecretValue"], [secret.secret_arn])
    fn.allow(["kms:Decrypt"], [key.key_arn], _via("secretsmanager", Stack.of(fn)))


def read_logs(fn: MemoryFunction, bucket: s3.IBucket, key: kms.IKey, *, versions: bool = False) -> None:
    """The conversation logs under their prefix (with their versions if `versions`), and nothing else in the bucket.
    Listing the prefix is what makes S3 answer NoSuchKey (not AccessDenied) for a log deleted before it was read."""
    fn.allow(["s3:GetObject", *(["s3:GetObjectVersion"] if versions else [])], [bucket.arn_for_objects(f"{PREFIX}/*")])
    fn.allow(["s3:ListBucket"], [bucket.bucket_arn], {"StringLike": {"s3:prefix": [f"{PREFIX}/*"]}})
    fn.allow(["kms:Decrypt"], [key.key_arn], _via("s3", Stack.of(fn)))


def keep_transcripts(fn: MemoryFunction, bucket: s3.IBucket, key: kms.IKey) -> None:
    """Append conversation turns to their thread's log: read it, write it back (conditional on the version read)
    with its retention tag; only under the conversation prefix."""
    read_logs(fn, bucket, key)
    fn.allow(["s3:PutObject", "s3:PutObjectTagging"], [bucket.arn_for_objects(f"{PREFIX}/*")])
    fn.allow(["kms:Encrypt", "kms:GenerateDataKey"], [key.key_arn], _via("s3", Stack.of(fn)))


def list_logs(fn: MemoryFunction, bucket: s3.IBucket) -> None:
    """Which logs exist under the conversation prefix (their names, not their contents)."""
    fn.allow(["s3:ListBucket"], [bucket.bucket_arn], {"StringLike": {"s3:prefix": [f"{PREFIX}/*"]}})


def erase_logs(fn: MemoryFunction, bucket: s3.IBucket, *, exports: bool = True) -> None:
    """Delete conversation logs (and, with `exports`, export files) in every version, listing the versions under
    their prefixes to find them, and abort unfinished export uploads; reading them is not needed, so no KMS grant."""
    prefixes = [PREFIX, EXPORT_PREFIX] if exports else [PREFIX]
    fn.allow(
        ["s3:ListBucketVersions"], [bucket.bucket_arn], {"StringLike": {"s3:prefix": [f"{p}/*" for p in prefixes]}}
    )
    if exports:
        # ListMultipartUploads is authorised on the bucket without the s3:prefix key: a prefix condition never matches
        fn.allow(["s3:ListBucketMultipartUploads"], [bucket.bucket_arn])
    fn.allow(
        ["s3:DeleteObject", "s3:DeleteObjectVersion", *(["s3:AbortMultipartUpload"] if exports else [])],
        [bucket.arn_for_objects(f"{prefix}/*") for prefix in prefixes],
    )


def write_exports(fn: MemoryFunction, bucket: s3.IBucket, key: kms.IKey) -> None:
    """Write export files as multipart uploads under the exports prefix (SSE-KMS uploads need the data key)."""
    fn.allow(["s3:PutObject", "s3:AbortMultipartUpload"], [bucket.arn_for_objects(f"{EXPORT_PREFIX}/*")])
    fn.allow(["kms:GenerateDataKey", "kms:Decrypt"], [key.key_arn], _via("s3", Stack.of(fn)))


def read_exports(fn: MemoryFunction, bucket: s3.IBucket, key: kms.IKey) -> None:
    """Read export files: what a pre-signed URL made with this function's role lets its holder fetch. Listing the
    prefix is what makes S3 answer 404 (not 403) for an export that expired or was erased."""
    fn.allow(["s3:GetObject"], [bucket.arn_for_objects(f"{EXPORT_PREFIX}/*")])
    fn.allow(["s3:ListBucket"], [bucket.bucket_arn], {"StringLike": {"s3:prefix": [f"{EXPORT_PREFIX}/*"]}})
    fn.allow(["kms:Decrypt"], [key.key_arn], _via("s3", Stack.of(fn)))


def tag_logs(fn: MemoryFunction, bucket: s3.IBucket) -> None:
    """Tag conversation logs (with their tenant's retention period, which a lifecycle rule acts on)."""
    fn.allow(["s3:PutObjectTagging"], [bucket.arn_for_objects(f"{PREFIX}/*")])


def send_to_queues(fn: MemoryFunction, queues: list[sqs.IQueue], key: kms.IKey) -> None:
    """Sends to `queues` (encrypted with `key`)."""
    fn.allow(["sqs:SendMessage"], [queue.queue_arn for queue in queues])
    fn.allow(["kms:GenerateDataKey", "kms:Decrypt"], [key.key_arn], _via("sqs", Stack.of(fn)))
