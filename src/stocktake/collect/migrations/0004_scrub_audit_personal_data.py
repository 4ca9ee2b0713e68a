"""Audit details name people by id: scrub the email addresses earlier actions wrote.

Invitation and reminder events named the contact's email (now the contact's
user id), ``participant.contact_changed`` the new email (now nothing: the
subject is the participant), ``member.added`` the member's username, which is
a contact's email (now the user id), and ``user.created`` the username (now
nothing: the subject is the user). Any other value that looks like an email
address is removed.
"""

import re

from django.conf import settings
from django.db import migrations

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
BATCH = 2000


def _looks_like_email(value) -> bool:
    if isinstance(value, str):
        return bool(EMAIL.search(value))
    if isinstance(value, (list, tuple)):
        return any(_looks_like_email(v) for v in value)
    if isinstance(value, dict):
        return any(_looks_like_email(v) for v in value.values())
    return False


def scrubbed(event, *, contacts: dict, users: dict) -> dict:
    """The event's details with people named by id and no email address left."""
    details = dict(event.details or {})
    if "email" in details:
        del details["email"]
        if event.subject_type == "collect.invitation" and event.verb.endswith((".created", ".sent")):
            details["contact"] = contacts.get(int(event.subject_id or 0))
    if event.verb == "member.added" and isinstance(details.get("member"), str):
        details["member"] = users.get(details["member"])
    if event.verb == "user.created":
        details.pop("username", None)
    return {key: value for key, value in details.items() if not _looks_like_email(value)}


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    Invitation = apps.get_model("collect", "Invitation")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    contacts = dict(Invitation.objects.values_list("pk", "contact_id"))
    users = {name: pk for pk, name in User.objects.values_list("pk", "username")}
    changed = []
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=BATCH):
        details = scrubbed(event, contacts=contacts, users=users)
        if details != event.details:
            event.details = details
            changed.append(event)
        if len(changed) >= BATCH:
            AuditEvent.objects.bulk_update(changed, ["details"])
            changed = []
    AuditEvent.objects.bulk_update(changed, ["details"])


class Migration(migrations.Migration):
    dependencies = [
        ("collect", "0003_invitation_revoke_reason"),
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
