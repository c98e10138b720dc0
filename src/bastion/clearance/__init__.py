"""Port clearance: FAL declarations (FAL 1, 3, 4, 5, 6, 7), their offline validation and
templates. The workflow, database models and pages come later; this package starts with what
an agent can run before submitting a list.
"""

from .crosscheck import cross_check
from .models import (
    CrewMember,
    DangerousGoodsItem,
    EffectsItem,
    GeneralDeclaration,
    Passenger,
    StoreItem,
)
from .problems import Problem, ValidationResult
from .templates import template
from .validate import FORM_NAMES, validate_bytes, validate_file

__all__ = ["FORM_NAMES", "CrewMember", "DangerousGoodsItem", "EffectsItem", "GeneralDeclaration",
           "Passenger", "Problem", "StoreItem", "ValidationResult", "cross_check", "template",
           "validate_bytes", "validate_file"]
