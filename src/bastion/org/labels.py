"""Words of the organisation in the user's language (``{{ user.role|label }}``)."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.org.models import AgencyKind, Role

register_labels(Role, labels={
    "viewer": lazy("Viewer"),
    "officer": lazy("Officer"),
    "supervisor": lazy("Supervisor"),
    "admin": lazy("Administrator"),
})
register_labels(AgencyKind, labels={
    "border_inspection": lazy("Border inspection station"),
    "border_inspection_team": lazy("Duty team of a border inspection station"),
    "border_police": lazy("Border police"),
    "army": lazy("Army unit"),
    "public_security": lazy("Public security"),
    "customs": lazy("Customs"),
    "maritime_safety": lazy("Maritime safety"),
    "village_committee": lazy("Village committee"),
    "joint_defence_command": lazy("Joint-defence command"),
    "joint_defence_post": lazy("Joint-defence post"),
    "shipping_agency": lazy("Shipping agency"),
    "other": lazy("Other"),
})
register_labels(namespace="record_kind", labels={
    "user": lazy("User"),
    "agency": lazy("Agency"),
})
