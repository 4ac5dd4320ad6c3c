"""Template tags and filters of Pantau."""
