"""Harmonic tide prediction and tide windows."""

from bastion.core.domains import Command, Domain

DOMAIN = Domain(
    name="tides", package="bastion.tides",
    commands=(Command("tides", "bastion.tides.cli:app",
                      "Harmonic tide prediction and tide windows."),),
)
