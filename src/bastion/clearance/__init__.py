"""Port clearance: FAL declarations (FAL 1, 3, 4, 5, 6, 7), their offline validation and
templates, the port-call workflow, pre-check, service modes and statistics.

The names below are imported on first use (PEP 562), not with the package: every command and
the manifest registry import ``bastion.clearance`` (for its ``manifest``), and the validation
rules pull in the maritime risk tables.
"""

from bastion.core.lazy import lazy_exports

_EXPORTS = {
    "cross_check": ".declarations.crosscheck",
    "CrewMember": ".declarations.models", "DangerousGoodsItem": ".declarations.models", "EffectsItem": ".declarations.models",
    "GeneralDeclaration": ".declarations.models", "Passenger": ".declarations.models", "StoreItem": ".declarations.models",
    "Problem": ".declarations.problems", "ValidationResult": ".declarations.problems",
    "template": ".declarations.templates",
    "FORM_NAMES": ".declarations.validate", "validate_bytes": ".declarations.validate", "validate_file": ".declarations.validate",
}

__all__ = list(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
