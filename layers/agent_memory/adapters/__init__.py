"""Adapters translate between the ports and concrete technologies."""
