"""One GUI instance per database (issue 13): a second start on the same file
brings the first window forward instead of opening it twice."""

from desktop.views.instance.guard import (
    DatabaseClaim, already_open_message, bring_forward, claim_database, server_name,
)

__all__ = ["DatabaseClaim", "already_open_message", "bring_forward", "claim_database",
           "server_name"]
