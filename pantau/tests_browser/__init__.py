"""Real-browser tests (Debian chromium through Playwright); run with -m browser or as part of the suite."""
