"""The topics of a legal-outreach visit, a vocabulary (``{{ v.topic|term("outreach_topic") }}``)."""

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels

NAMESPACE = "outreach_topic"
TOPICS = {
    "border_law": lazy("Border law and regulations"),
    "anti_smuggling": lazy("Anti-smuggling"),
    "anti_illegal_crossing": lazy("Anti-illegal-crossing"),
    "anti_fraud": lazy("Anti-fraud"),
    "epidemic_prevention": lazy("Epidemic prevention"),
    "drug_control": lazy("Drug control"),
    "national_security": lazy("National security"),
    "other": lazy("Other"),
}
register_labels(namespace=NAMESPACE, labels=TOPICS)
