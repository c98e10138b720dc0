"""The land border (issue 12 on): the line and what stands on it (``border.geo``), joint
patrols and their measures (``border.patrols``), and the patrols coverage command.

Who may do what is the grants table beside this file: the command and its posts, and their
partners (border police, army, public security, village committees) see the map; patrols are
read by the command, the posts and the partners that patrol with them; auxiliaries (post
viewers) record patrols; a village committee sees the map's public layers and no patrols.
"""

from bastion.core.domains import Capability, Command, Domain, Tile
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="border", package="bastion.border",
    # measures before the field API: its /api/v1/patrols/{id} would take /measures, /live
    routers=("bastion.border.geo.views:router", "bastion.border.geo.api:router",
             "bastion.border.patrols.views_measures:router",
             "bastion.border.patrols.api_measures:router",
             "bastion.border.patrols.api:router", "bastion.border.patrols.api_gpx:router",
             "bastion.border.patrols.views_plans:router",
             "bastion.border.patrols.views_field:router"),
    templates="templates",
    settings=("patrols", "bastion.border.settings:PatrolSettings"),
    models=("bastion.border.geo.models", "bastion.border.patrols.models"),
    labels=("bastion.border.geo.labels",),
    commands=(Command("patrols", "bastion.border.cli:app",
                      "Patrols: segment coverage from GPX tracks."),
              Command("border", "bastion.border.geo.cli:app",
                      "The border map: import the line and markers, add segments."),),
    capabilities=(
        Capability("border.map.read", lazy("See the border map: line, markers, segments, posts")),
        Capability("border.map.write", lazy("Import and edit the border map")),
        Capability("patrols.read", lazy("Read patrols, their tracks and findings")),
        Capability("patrols.plan", lazy("Set patrol targets and plan patrols")),
        Capability("patrols.record", lazy("Record patrols in the field")),
        Capability("patrols.measures", lazy("See patrol measures: coverage, completion, effort")),
        Capability("patrols.live", lazy("Watch patrols under way and receive SOS alarms")),
        Capability("patrols.sos.ack", lazy("Acknowledge an SOS")),
        Capability("patrols.message", lazy("Send short-message check-ins and SOS (gateway)")),
    ),
    grants="grants.csv",
    visibility=("bastion.border.patrols.service",),
    tiles=(Tile("border.area", "bastion.border.tiles:my_area", "border/tile_area.html"),),
    extra={"figures": "bastion.border.figures:figures", "figures_title": lazy("Joint patrols"),
           "case_sources": {
               "patrol_observation": "bastion.border.patrols.case_source:observation"}},
)
