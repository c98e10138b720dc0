"""Words of screening in the user's language."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.screening.models import HitStatus

register_labels(HitStatus, labels={
    "pending": lazy("To review"),
    "confirmed": lazy("Same person"),
    "dismissed": lazy("Not the same"),
})
register_labels(namespace="outcome", labels={
    "clear": lazy("Clear"),
    "check": lazy("Check"),
    "stop": lazy("Stop"),
})
