"""Words of the organisation in the user's language (``{{ user.role|label }}``)."""

from bastion.core.i18n import gettext, lazy
from bastion.core.labels import label, register_labels
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

# What an officer is called depends on where they serve: a station's officer is a police
# officer (民警), a shipping agency's is a ship's agent, a joint-defence post's a post member.
# Viewers, supervisors and administrators keep the general words of the Role labels above.
OFFICER_BY_KIND = {
    "border_inspection": lazy("Police officer"),
    "border_inspection_team": lazy("Police officer"),
    "border_police": lazy("Police officer"),
    "public_security": lazy("Police officer"),
    "army": lazy("Serviceman"),
    "customs": lazy("Customs officer"),
    "maritime_safety": lazy("Maritime safety officer"),
    "village_committee": lazy("Village committee member"),
    "joint_defence_command": lazy("Staff member"),
    "joint_defence_post": lazy("Joint-defence post member"),
    "shipping_agency": lazy("Ship's agent"),
    "other": lazy("Staff member"),
}

# Words files written before the titles depended on the kind may still use for an officer.
OFFICER_FORMERLY = ("民警/干部", "民警干部")


def role_title(role: Role | None, kind: AgencyKind | None = None) -> str:
    """A role as the people of an agency of this kind are called (``{{ user|role_title }}``);
    without a kind, the general word (as in a role picker across agencies)."""
    if role is None:
        return ""
    if role is Role.OFFICER and kind is not None and kind.value in OFFICER_BY_KIND:
        return gettext(OFFICER_BY_KIND[kind.value])
    return label(role)
