"""Append-only audit trail (domain.md §7): called inside the caller's transaction, so a rolled-back
change leaves no event and a committed change always has one."""
from __future__ import annotations

from collections.abc import Iterable

from .models import AuditEvent, FieldChange
from .permissions import primary_role, roles_of


def _actor_fields(package, actor) -> dict:
    if actor is None:
        return {"actor": None, "actor_name": "系统", "role": ""}
    role = primary_role(roles_of(actor, package)) if package is not None else ""
    return {"actor": actor, "actor_name": getattr(actor, "display_name", str(actor))[:60], "role": role}


def audit_event(*, package, actor, kind: str, note: str = "", remote_addr: str | None = None,
                role: str | None = None, changes: Iterable[tuple[str, str, str, str]] = (), **extra) -> AuditEvent:
    """One event of any kind (imports pass file_hash=..., exports format=... and snapshot=...)."""
    snapshot = extra.pop("snapshot", None)
    action = extra.pop("action", "")
    from_state = extra.pop("from_state", "")
    to_state = extra.pop("to_state", "")
    fields = _actor_fields(package, actor)
    if role is not None:
        fields["role"] = role
    event = AuditEvent.objects.create(
        package=package, package_label=str(package)[:200] if package is not None else "",
        kind=kind, note=note or "", remote_addr=remote_addr or None, snapshot=snapshot, action=action,
        from_state=from_state, to_state=to_state, extra=_jsonable(extra), **fields)
    FieldChange.objects.bulk_create(
        FieldChange(event=event, object_label=str(label)[:200], field=str(field)[:100],
                    old="" if old is None else str(old), new="" if new is None else str(new))
        for label, field, old, new in changes)
    return event


def audit_save(*, package, actor, changes: Iterable[tuple[str, str, str, str]], remote_addr: str | None = None,
               kind: str = AuditEvent.Kind.SAVE, note: str = "") -> AuditEvent:
    """A save of package content: one FieldChange per (object label, field, old, new)."""
    return audit_event(package=package, actor=actor, kind=kind, note=note, remote_addr=remote_addr,
                       changes=list(changes))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def client_address(request) -> str | None:
    """The peer address; behind a proxy set it from X-Forwarded-For in the proxy, not here (spoofable)."""
    return request.META.get("REMOTE_ADDR") or None
