"""Words of the border map in the user's language (marker and place kinds, record kinds)."""

from bastion.border.geo.models import MarkerKind, PlaceKind
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels

register_labels(MarkerKind, labels={"monument": lazy("Boundary monument"),
                                    "pillar": lazy("Boundary pillar")})
register_labels(PlaceKind, labels={
    "camera": lazy("Camera"), "bridge": lazy("Bridge"), "pier": lazy("Pier"),
    "barrier": lazy("Barrier post"), "village": lazy("Village"), "crossing": lazy("Crossing")})
register_labels(namespace="record_kind", labels={
    "border_line": lazy("Border line"), "boundary_marker": lazy("Boundary marker"),
    "defence_segment": lazy("Defence segment"), "border_post": lazy("Joint-defence post"),
    "border_place": lazy("Place on the border map"), "border_checkpoint": lazy("Checkpoint"),
})
