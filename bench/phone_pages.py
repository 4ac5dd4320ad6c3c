"""Page heights and bytes at phone width (390x844) of the daily pages (issue 15): the work-plan dashboard, the action
list and the findings list of the demo work plan, logged in as the demo coordinator, in Indonesian.

Needs a running Pantau with the demo loaded (``make run``, or ``pantau load_demo`` and ``pantau runserver``) and
Debian's chromium. Usage: ``.venv/bin/python bench/phone_pages.py [BASE_URL] [PLAN_ID]`` (defaults
http://127.0.0.1:8000 and 2); prints one line per page: height in CSS px, HTML bytes, horizontal overflow.
The demo password is read from ``$PANTAU_VAR_DIR/demo_password`` (default ``var/demo_password``)."""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
plan = sys.argv[2] if len(sys.argv) > 2 else "2"
password = (Path(os.environ.get("PANTAU_VAR_DIR", "var")) / "demo_password").read_text().strip()
pages = {"dashboard": f"/work-plans/{plan}/", "actions": f"/work-plans/{plan}/actions/",
         "findings": f"/work-plans/{plan}/findings/"}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID").new_page()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "koordinator")
    page.fill("#id_password", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    for name, url in pages.items():
        response = page.goto(base + url)
        size = len(response.body())
        height, width, inner = page.evaluate(
            "[document.scrollingElement.scrollHeight, document.scrollingElement.scrollWidth, innerWidth]")
        print(f"{name:10} {height:6d} px  {size:7d} bytes  {'OVERFLOW ' + str(width) if width > inner else 'fits'}")
    browser.close()
