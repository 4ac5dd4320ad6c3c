"""The ``pantau`` command: Django's manage.py under one name (``pantau import_regions``, ``pantau load_demo``)."""

import os
import sys


def main() -> None:
    """Run a Django management command with Pantau's settings; exits with the command's status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pantau.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([os.path.basename(sys.argv[0]) or "pantau", *sys.argv[1:]])


if __name__ == "__main__":
    main()
