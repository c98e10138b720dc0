"""Port clearance: FAL declarations (FAL 1, 3, 4, 5, 6, 7), their offline validation and
templates, the port-call workflow, pre-check, service modes and statistics.

The names below are imported on first use (PEP 562), not with the package: every command and
the manifest registry import ``bastion.clearance`` (for its ``manifest``), and the validation
rules pull in the maritime risk tables.
"""

from bastion.core.lazy import lazy_exports

_EXPORTS = {
    "cross_check": ".crosscheck",
    "CrewMember": ".models", "DangerousGoodsItem": ".models", "EffectsItem": ".models",
    "GeneralDeclaration": ".models", "Passenger": ".models", "StoreItem": ".models",
    "Problem": ".problems", "ValidationResult": ".problems",
    "template": ".templates",
    "FORM_NAMES": ".validate", "validate_bytes": ".validate", "validate_file": ".validate",
}

__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
