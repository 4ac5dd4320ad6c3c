"""Shared test helpers of core."""

import re

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)", re.IGNORECASE)
"""A <script> element without a src attribute: an inline script, which the Content-Security-Policy forbids (pages
may load Pantau's own script files, such as pantau/typed-input.js)."""
