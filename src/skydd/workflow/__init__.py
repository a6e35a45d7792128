"""The request workflow: one queue of data subject requests, their legal deadlines and the
staff who work on them.

Every request, whatever its channel (CLI, Python, web), goes through ``submit`` and
the transitions below; each transition is a row in ``workflow_request_events`` and an
audit event (who and why).  States::

    received ──verify──▶ verified ──start──▶ in_progress ──complete──▶ done
        │                   │  └─extend─┐        │  └──extend──▶ extended ──complete──▶ done
        └──refuse──▶ refused ◀──────────┴────────┴──────────────────┘

``run`` carries out access, export and erase requests with the existing engines
(``skydd.requests``) and completes them.  Deadlines (``deadline``) are pure functions
of the day of receipt and the controller's holiday calendar.  Staff authenticate with
tokens bound to a role (``ROLES``, ``can``); ``record_read`` audits every read of
personal data.
"""

from skydd.workflow.deadlines import add_months, deadline, is_working_day, next_working_day
from skydd.workflow.events import RequestTransition
from skydd.workflow.lifecycle import (
    IllegalTransition,
    charge_fee,
    complete,
    events,
    extend,
    get,
    list_requests,
    refuse,
    start,
    submit,
    verify,
)
from skydd.workflow.model import (
    ENDED_STATES,
    OPEN_STATES,
    Deadline,
    Request,
    RequestEvent,
    RequestKind,
    State,
)
from skydd.workflow.notify import (
    MessageKind,
    Reminder,
    due_reminders,
    notify_person,
    person_message,
    send_reminders,
)
from skydd.workflow.runner import RunResult, run
from skydd.workflow.staff import (
    ROLES,
    Permission,
    PermissionDenied,
    Role,
    Staff,
    add_staff,
    authenticate,
    can,
    list_staff,
    record_read,
    require,
    revoke_staff,
)

__all__ = [
    "ENDED_STATES",
    "OPEN_STATES",
    "ROLES",
    "Deadline",
    "IllegalTransition",
    "MessageKind",
    "Permission",
    "PermissionDenied",
    "Reminder",
    "Request",
    "RequestEvent",
    "RequestKind",
    "RequestTransition",
    "Role",
    "RunResult",
    "Staff",
    "State",
    "add_months",
    "add_staff",
    "authenticate",
    "can",
    "charge_fee",
    "complete",
    "deadline",
    "due_reminders",
    "events",
    "extend",
    "get",
    "is_working_day",
    "list_requests",
    "list_staff",
    "next_working_day",
    "notify_person",
    "person_message",
    "record_read",
    "refuse",
    "require",
    "revoke_staff",
    "run",
    "send_reminders",
    "start",
    "submit",
    "verify",
]
