#!/usr/bin/env python
"""Django's manage.py; the same as the ``pantau`` command."""

from pantau.__main__ import main

if __name__ == "__main__":
    main()
