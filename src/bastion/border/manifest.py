"""The land border: the line, its segments and the patrols along it (issue 12).

For now only the patrols command group: segment coverage from GPX files.
"""

from bastion.core.domains import Command, Domain

DOMAIN = Domain(
    name="border", package="bastion.border",
    models=("bastion.border.geo.models", "bastion.border.patrols.models"),
    commands=(Command("patrols", "bastion.border.cli:app",
                      "Patrols: segment coverage from GPX tracks."),),
)
