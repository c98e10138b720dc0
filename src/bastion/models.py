"""Every registered domain's models, so that the metadata is complete (Alembic, tests).

The floor's own tables (event log, record shares) come with ``core``; each domain names the
modules holding its models in its manifest (``core.domains``).
"""

from bastion.core import domains
from bastion.core.db import Base
from bastion.core.events import EventRecord
from bastion.core.marking import AreaAssignment, RecordShare

domains.import_all("models")

__all__ = ["AreaAssignment", "Base", "EventRecord", "RecordShare"]
