"""Work-plan pages."""

urlpatterns: list = []
