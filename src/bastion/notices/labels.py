"""Words of the notices in the user's language."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels

register_labels(namespace="record_kind", labels={
    "notice": lazy("Notice"),
    "notice_attachment": lazy("Notice attachment"),
})
