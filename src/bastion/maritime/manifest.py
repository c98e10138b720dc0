"""The maritime picture: AIS feeds, vessel tracks, risk detectors and alerts."""

from bastion.core.domains import Capability, Command, Domain, Job
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="maritime", package="bastion.maritime",
    routers=("bastion.maritime.views:router", "bastion.maritime.api:router"),
    templates="templates",
    models=("bastion.maritime.tracks.models", "bastion.maritime.alerts.models",
            "bastion.maritime.places.models"),
    commands=(Command("ais", "bastion.maritime.cli:app",
                      "AIS: decode, replay and listen to NMEA feeds."),),
    settings=("detectors", "bastion.maritime.risk.settings:DetectorSettings"),
    labels=("bastion.maritime.labels",),
    visibility=("bastion.maritime.alerts.service",),
    capabilities=(
        Capability("vessels.read", lazy("See the maritime picture: vessels, tracks, risk")),
        Capability("alerts.read", lazy("Read vessel alerts")),
        Capability("alerts.act", lazy("Acknowledge, assign and close vessel alerts")),
    ),
    grants="grants.csv",
    startup=("bastion.maritime.feeds:start_configured_feeds",),
    jobs=(Job("position-retention", "bastion.maritime.picture:purge_old_positions",
              every=3600),),
)
