"""Excel template, import and export pages (placeholder)."""

urlpatterns: list = []
