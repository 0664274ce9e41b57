"""Every Lambda function behind the API: its route and what it may touch (its IAM role is built from this)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiFunction:
    name: str  # functions/api/<name>.py, events/api/<name>.json
    method: str
    path: str
    writes: bool = False  # changes the table (read-only functions get no write action at all)
    embeds: bool = False  # calls the embedding model
    searches: bool = False  # reads the OpenSearch collection
    counts_recalls: bool = False  # may bump `access_count` of what it returns and record the recall, nothing else
    signs_cursors: bool = False  # reads the cursor-signing secret
    extracts: bool = False  # asks the Bedrock chat model for facts
    starts_jobs: bool = False  # starts executions of the job state machines
    lists_logs: bool = False  # lists the names of raw conversation logs (not their contents)
    reads_exports: bool = False  # reads export files (and signs download URLs for them)
    reads_logs: bool = False  # reads the user's conversation logs (previous runs)
    keeps_transcripts: bool = False  # appends turns to conversation logs (read, conditional put, retention tag)
    public: bool = False  # no API key (liveness only)

    @property
    def module(self) -> str:
        return f"functions/api/{self.name}.py"

    @property
    def read_only(self) -> bool:
        return not self.writes

    @property
    def family(self) -> str:
        """The nested stack the function is built in: this API's own operations, or the compatible dialects."""
        return "Api" if self.path.startswith(("/v1/", "/healthz")) else "Compat"


API_FUNCTIONS: tuple[ApiFunction, ...] = (
    ApiFunction("health", "GET", "/healthz", public=True),
    ApiFunction("create_memory", "POST", "/v1/memories", writes=True, embeds=True),
    ApiFunction("create_memories", "POST", "/v1/memories/batch", writes=True, embeds=True),
    # embeds: resolving a cluster_id re-embeds memories whose vectors are from another model
    ApiFunction("list_memories", "GET", "/v1/memories", signs_cursors=True, embeds=True),
    ApiFunction("get_memory", "GET", "/v1/memories/{memory_id}"),
    ApiFunction("update_memory", "PATCH", "/v1/memories/{memory_id}", writes=True, embeds=True),
    ApiFunction("delete_memory", "DELETE", "/v1/memories/{memory_id}", writes=True),
    ApiFunction("delete_memories", "POST", "/v1/memories/delete", writes=True),
    ApiFunction("memory_history", "GET", "/v1/memories/{memory_id}/history"),
    ApiFunction("search_memories", "GET", "/v1/memories/search", embeds=True, searches=True, counts_recalls=True),
    ApiFunction("related_memories", "GET", "/v1/memories/{memory_id}/related", embeds=True, searches=True),
    ApiFunction("memory_stats", "GET", "/v1/stats"),
    ApiFunction("get_memory_settings", "GET", "/v1/settings/memory"),
    ApiFunction("put_memory_settings", "PUT", "/v1/settings/memory", writes=True),
    ApiFunction(
        "conversation_turn",
        "POST",
        "/v1/conversations/{thread_id}/messages",
        writes=True,
        embeds=True,
        searches=True,
        extracts=True,
        keeps_transcripts=True,
    ),
    ApiFunction("search_runs", "GET", "/v1/runs/search", reads_logs=True),
    ApiFunction("start_job", "POST", "/v1/jobs/{kind}", writes=True, starts_jobs=True),
    ApiFunction("get_operation", "GET", "/v1/operations/{operation_id}"),
    ApiFunction("list_operations", "GET", "/v1/operations"),
    ApiFunction("clear_memories", "DELETE", "/v1/memories", writes=True),
    ApiFunction("export_memories", "GET", "/v1/export"),
    ApiFunction("import_memories", "POST", "/v1/import", writes=True, embeds=True),
    ApiFunction("erase_user", "DELETE", "/v1/users/{user_id}", writes=True, starts_jobs=True, lists_logs=True),
    ApiFunction("download_export", "GET", "/v1/exports/{operation_id}", reads_exports=True),
    ApiFunction("list_clusters", "GET", "/v1/clusters", embeds=True, extracts=True),  # the chat model names them
    ApiFunction("list_topics", "GET", "/v1/topics"),
    ApiFunction("recall_feedback", "POST", "/v1/recalls/{recall_id}/feedback", writes=True),
    ApiFunction("get_graph", "GET", "/v1/graph"),
    ApiFunction("list_entities", "GET", "/v1/entities"),
    ApiFunction("get_entity", "GET", "/v1/entities/{entity_id}"),
    # The compatible APIs (http/dialects): each operation with what its /v1 counterpart may touch.
    ApiFunction("snippbot_list_episodes", "GET", "/api/memory/episodes", embeds=True),  # embeds: cluster_id
    ApiFunction("snippbot_get_episode", "GET", "/api/memory/episodes/{id}"),
    ApiFunction("snippbot_create_episode", "POST", "/api/memory/episodes", writes=True, embeds=True),
    ApiFunction("snippbot_delete_episode", "DELETE", "/api/memory/episodes/{id}", writes=True),
    ApiFunction("snippbot_related_episodes", "GET", "/api/memory/episodes/{id}/related", embeds=True, searches=True),
    ApiFunction("snippbot_search", "GET", "/api/memory/search", embeds=True, searches=True, counts_recalls=True),
    ApiFunction("snippbot_clusters", "GET", "/api/memory/clusters", embeds=True, extracts=True),
    ApiFunction("snippbot_graph", "GET", "/api/memory/graph"),
    ApiFunction("snippbot_stats", "GET", "/api/memory/stats"),
    ApiFunction("snippbot_consolidate", "POST", "/api/memory/consolidate/conversations", writes=True, starts_jobs=True),
    ApiFunction("snippbot_generate_episodes", "POST", "/api/memory/generate-episodes", writes=True, starts_jobs=True),
    ApiFunction("snippbot_backfill_entities", "POST", "/api/memory/backfill-entities", writes=True, starts_jobs=True),
    ApiFunction("snippbot_get_settings", "GET", "/api/settings/memory"),
    ApiFunction("snippbot_put_settings", "PUT", "/api/settings/memory", writes=True),
    ApiFunction("snippbot_export", "GET", "/api/settings/memory/export"),
    ApiFunction("snippbot_clear", "DELETE", "/api/settings/memory/data", writes=True),
    ApiFunction("operativus_add", "POST", "/api/memories", writes=True, embeds=True),
    ApiFunction("operativus_search", "GET", "/api/memories", embeds=True, searches=True, counts_recalls=True),
    ApiFunction("operativus_delete", "DELETE", "/api/memories", writes=True),
    ApiFunction("operativus_optimize", "POST", "/api/memories/optimize", writes=True, starts_jobs=True),
    ApiFunction("operativus_stats", "GET", "/api/memories/stats"),
    ApiFunction("operativus_topics", "GET", "/api/memories/topics"),
    ApiFunction("teammate_create_memory", "POST", "/api/users/{user_id}/memories", writes=True, embeds=True),
    ApiFunction("teammate_list_memories", "GET", "/api/users/{user_id}/memories", signs_cursors=True),
    ApiFunction("teammate_delete_memory", "DELETE", "/api/users/{user_id}/memories/{memory_id}", writes=True),
    ApiFunction("backboard_list_memories", "GET", "/api/assistants/{assistant_id}/memories", signs_cursors=True),
    ApiFunction("backboard_add_memory", "POST", "/api/assistants/{assistant_id}/memories", writes=True, embeds=True),
    ApiFunction(
        "backboard_update_memory",
        "PUT",
        "/api/assistants/{assistant_id}/memories/{memory_id}",
        writes=True,
        embeds=True,
    ),
    ApiFunction(
        "backboard_delete_memory", "DELETE", "/api/assistants/{assistant_id}/memories/{memory_id}", writes=True
    ),
    ApiFunction("backboard_memory_stats", "GET", "/api/assistants/{assistant_id}/memories/stats"),
    ApiFunction(
        "backboard_operation_status", "GET", "/api/assistants/{assistant_id}/memories/operations/{operation_id}"
    ),
    ApiFunction("backboard_create_thread", "POST", "/api/assistants/{assistant_id}/threads"),  # stores nothing
    ApiFunction(
        "backboard_message",
        "POST",
        "/api/threads/{thread_id}/messages",
        writes=True,
        embeds=True,
        searches=True,
        extracts=True,
        keeps_transcripts=True,
    ),
)
