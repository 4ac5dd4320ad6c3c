"""The common frame of recomputation commands (``recompute_ikm``, ``reband_results``): who runs them, for which
province, dry run, one audit entry per run, text or JSON output.

Permission: ``--user`` must be an active superuser (all provinces), or hold IMPORT_RESULTS through the Ombudsman
office of ``--province`` (that province only; a national run needs a superuser). Everything is written in one
transaction with one audit entry summarising the run (action ``update``, no object, counts in ``after`` and
``note``) under a new request id. ``--dry-run`` writes nothing (no rows, no audit entry). Bad arguments, an unknown
user or a refused permission exit non-zero (CommandError) with nothing written.
"""

import contextlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from pantau.accounts.models import Permission
from pantau.accounts.scoping import acts_for_provinces
from pantau.audit.actions import record
from pantau.audit.middleware import new_request_id
from pantau.audit.models import AuditAction
from pantau.regions.models import Region


@contextlib.contextmanager
def _no_transaction() -> Any:
    """No outer transaction: a chunked command commits each chunk with its checkpoint."""
    yield


PROVINCE_CODE = re.compile(r"^\d{2}$")


def may_recompute(user: Any, province: str | None) -> bool:
    """True when ``user`` may recompute scores: an active superuser for all of Indonesia (``province`` None), or an
    active holder of IMPORT_RESULTS (the Ombudsman admin role) on the Ombudsman office of ``province`` for that
    province only (an office's scope is its province, accounts.scoping)."""
    if not getattr(user, "is_active", False):
        return False
    if province is None:
        return bool(user.is_superuser)
    return acts_for_provinces(user, Permission.IMPORT_RESULTS, {province})


@dataclass
class RunReport:
    """What one recomputation did: ``json`` (its part of the JSON output), ``lines`` (text output), ``counts``
    (the audit entry's ``after``) and ``note`` (the audit entry's note)."""

    json: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    note: str = ""


class RecomputeCommand(BaseCommand):
    """Base of the recomputation commands: subclasses set ``name`` and ``json_key`` and implement ``recompute``."""

    name = ""
    json_key = ""
    chunked = False
    """True for commands that commit chunk by chunk with a checkpoint (``--resume``): no outer transaction, the
    audit entry is recorded when the run completes."""

    def add_arguments(self, parser: CommandParser) -> None:
        """--province, --dry-run, --format, --user (subclasses may add their own)."""
        parser.add_argument("--province", help="only this province (two-digit Kemendagri code, e.g. 15)")
        parser.add_argument("--dry-run", action="store_true", help="write nothing; report what would change")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument("--user", required=True, help="username to act as (superuser or Ombudsman admin)")
        if self.chunked:
            parser.add_argument("--resume", action="store_true",
                                help="continue after the checkpoint of a run that stopped (same province and options)")
            parser.add_argument("--progress", action="store_true",
                                help="print progress (done/total): to stdout, or stderr with --format json")

    def recompute(self, *, actor: Any, province: str | None, dry_run: bool, options: dict[str, Any]) -> RunReport:
        """Do the work (inside the run's transaction) and say what was done."""
        raise NotImplementedError

    def echo_progress(self, options: dict[str, Any]) -> Any:
        """A function printing one progress line, or None without ``--progress``."""
        if not options.get("progress"):
            return None
        stream = self.stderr if options.get("output_format") == "json" else self.stdout
        return lambda line: stream.write(_("Progress: %(line)s periods") % {"line": line})

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the arguments and the user, recompute, write in one transaction (chunked commands: chunk by chunk)
        with one audit entry, print."""
        request_id = new_request_id()
        province = self._province(options["province"])
        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(_("No active user named %(name)r.") % {"name": options["user"]})
        if not may_recompute(actor, province):
            if province:
                raise CommandError(_("Only a superuser or an Ombudsman admin of province %(code)s may recompute its "
                                     "scores.") % {"code": province})
            raise CommandError(_("Only a superuser may recompute the scores of all provinces; an Ombudsman admin "
                                 "gives --province."))
        dry_run = options["dry_run"]
        try:
            with _no_transaction() if self.chunked else transaction.atomic():
                report = self.recompute(actor=actor, province=province, dry_run=dry_run, options=options)
                if not dry_run:
                    where = (_("province %(code)s") % {"code": province}) if province else _("all provinces")
                    record(actor=actor, action=AuditAction.UPDATE, obj=None,
                           after={"command": self.name, "province": province, **report.counts},
                           note=f"{self.name} ({where}); {report.note}")
        except ValueError as exc:
            raise CommandError(_("Nothing recomputed: %(error)s") % {"error": exc}) from None
        if options["output_format"] == "json":
            data = {"dry_run": dry_run, "user": actor.get_username(), "province": province,
                    "request_id": str(request_id), self.json_key: report.json}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        lines = [_("Dry run: nothing was written.")] if dry_run else []
        self.stdout.write("\n".join(lines + report.lines))

    @staticmethod
    def _province(raw: str | None) -> str | None:
        if raw is None:
            return None
        province = raw.strip()
        if not PROVINCE_CODE.match(province):
            raise CommandError(_("--province takes a two-digit province code such as 15, not %(value)r.")
                               % {"value": raw})
        if not Region.objects.filter(code=province, level=1).exists():
            raise CommandError(_("Province %(code)s is not loaded (run import_regions).") % {"code": province})
        return province
