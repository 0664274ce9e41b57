"""`python -m agent_memory.cli`."""

from agent_memory.cli import main

raise SystemExit(main())
