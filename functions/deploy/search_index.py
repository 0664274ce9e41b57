"""CloudFormation custom resource: the OpenSearch index, created when the stack deploys."""

from agent_memory.entry.index_deployment import handler

__all__ = ["handler"]
