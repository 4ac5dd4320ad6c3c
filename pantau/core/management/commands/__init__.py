"""Commands: ``sweep_orphan_files``."""
