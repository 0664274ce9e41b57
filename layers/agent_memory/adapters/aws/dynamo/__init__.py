"""The aws backend's records: one store per port, all over one DynamoDB single table (`DynamoTable`).

| module           | what it holds                                                                             |
|------------------|-------------------------------------------------------------------------------------------|
| `schema`         | the table's keys, indexes and projections, TTL and stream (what the CDK stack declares)  |
| `table`          | the shared table: its client, made on first use, and calls with errors in domain terms    |
| `items`          | key design, and records to and from DynamoDB attribute maps (the stream indexer's too)    |
| `memories`       | MemoryStore (with `memory_writes`, `recall_counters` and `memory_stats`)                  |
| `settings`       | SettingsStore                                                                             |
| `keys`           | KeyStore                                                                                  |
| `idempotency`    | IdempotencyStore                                                                          |
| `operations`     | OperationStore (job records and locks, committed with memory changes where a job needs)  |
| `recalls`        | RecallLog                                                                                 |
| `graph`          | GraphStore, and the projector the stream keeps it in step with                            |

Importing this package, or `schema`, loads neither boto3 nor numpy: the stores' modules are imported when
`open_stores` builds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent_memory.adapters.aws.dynamo.graph import DynamoGraph
    from agent_memory.adapters.aws.dynamo.idempotency import DynamoIdempotency
    from agent_memory.adapters.aws.dynamo.keys import DynamoKeys
    from agent_memory.adapters.aws.dynamo.memories import DynamoMemories
    from agent_memory.adapters.aws.dynamo.operations import DynamoOperations
    from agent_memory.adapters.aws.dynamo.recalls import DynamoRecalls
    from agent_memory.adapters.aws.dynamo.settings import DynamoSettings
    from agent_memory.adapters.aws.dynamo.table import DynamoTable


@dataclass(frozen=True, slots=True)
class DynamoStores:
    """MemoryStore, SettingsStore, KeyStore, IdempotencyStore, OperationStore, RecallLog and GraphStore sharing
    one table."""

    table: DynamoTable
    memories: DynamoMemories
    settings: DynamoSettings
    keys: DynamoKeys
    idempotency: DynamoIdempotency
    operations: DynamoOperations
    recalls: DynamoRecalls
    graph: DynamoGraph


def open_stores(table_name: str, client_factory: Callable[[], Any]) -> DynamoStores:
    """The stores over the table `table_name`; `client_factory` makes the DynamoDB client on first use, not here."""
    from agent_memory.adapters.aws.dynamo.graph import DynamoGraph
    from agent_memory.adapters.aws.dynamo.idempotency import DynamoIdempotency
    from agent_memory.adapters.aws.dynamo.keys import DynamoKeys
    from agent_memory.adapters.aws.dynamo.memories import DynamoMemories
    from agent_memory.adapters.aws.dynamo.operations import DynamoOperations
    from agent_memory.adapters.aws.dynamo.recalls import DynamoRecalls
    from agent_memory.adapters.aws.dynamo.settings import DynamoSettings
    from agent_memory.adapters.aws.dynamo.table import DynamoTable

    table = DynamoTable(table_name, client_factory)
    memories = DynamoMemories(table)
    return DynamoStores(
        table=table,
        memories=memories,
        settings=DynamoSettings(table),
        keys=DynamoKeys(table),
        idempotency=DynamoIdempotency(table),
        operations=DynamoOperations(table, memories),
        recalls=DynamoRecalls(table),
        graph=DynamoGraph(table),
    )


__all__ = ["DynamoStores", "open_stores"]
