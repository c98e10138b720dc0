"""Watchlists and cross-script name screening with a review queue."""

from bastion.core.domains import Command, Domain

DOMAIN = Domain(
    name="screening", package="bastion.screening",
    routers=("bastion.screening.views:router", "bastion.screening.api:router"),
    templates="templates",
    models=("bastion.screening.models",),
    commands=(Command("screen", "bastion.screening.cli:app",
                      "Screen names against a watchlist; score name pairs."),
              Command("watchlist", "bastion.screening.cli:watchlist_app", "Watchlists."),),
    labels=("bastion.screening.labels",),
)
