"""The words of evaluations: populations and ratings, in the user's language."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.evaluations.models import Population, Rating

POPULATIONS = {"auxiliary": lazy("Auxiliary"), "party_member": lazy("Party member")}
RATINGS = {"excellent": lazy("Excellent"), "competent": lazy("Competent"),
           "basically_competent": lazy("Basically competent"),
           "incompetent": lazy("Incompetent")}
register_labels(Population, labels=POPULATIONS)
register_labels(Rating, labels=RATINGS)
