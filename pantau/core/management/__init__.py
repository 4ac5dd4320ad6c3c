"""Management commands of the shared core."""
