"""The steps of async jobs: one module per kind of work, and the step protocol both orchestrators drive."""
