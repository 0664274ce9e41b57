"""Thin AWS Lambda entry modules: each names its router or step and delegates to `agent_memory`."""
