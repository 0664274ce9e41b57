"""Use cases, one module per capability. Services depend on ports only."""
