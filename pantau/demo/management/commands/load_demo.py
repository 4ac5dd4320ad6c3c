"""``pantau load_demo``: load the Batanghari demo (idempotent) and print how to log in."""

from typing import Any

from django.core.management.base import BaseCommand

from pantau.audit.middleware import new_request_id
from pantau.demo.loader import DEMO_USERS, load_demo


class Command(BaseCommand):
    """Loads regions, Batanghari's units, the 2020 work plan, sample actions and demo users."""

    help = "Load the Batanghari demo data and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the command (see the class docstring); raises CommandError on bad input."""
        new_request_id()
        result = load_demo()
        self.stdout.write(
            f"Demo: {result['regions']} regions, {result['units']} units of Pemerintah Kabupaten Batanghari, "
            f"{result['actions']} sample actions in work plan #{result['work_plan_id']}."
        )
        self.stdout.write("Log in at /accounts/login/ (Masuk) with one of these users")
        self.stdout.write(f"(password for all: {result['password']}, kept in var/demo_password):")
        for username, role, unit, _position in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {role or 'superuser'}{' on ' + unit if unit else ''}")
