"""Field alarms (issue 17, item 4): one-button alarm posts (一键报警桩) and sensors (fence
vibration, infrared, camera motion) on the land border where the mobile network is poor.

Devices publish over MQTT (``bastion/alarms/<device id>``, subscribed in the leading server
process when ``BASTION_FIELDALARMS__MQTT_URL`` is set) or, in the embedded default, to
``POST /api/v1/field-alarms/intake``; each message is signed with the device's own revocable
key. Each alarm is on the command's map at once and opens an incident (raised ->
acknowledged -> resolved / false alarm), told to the command and the responsible post.

Who may do what is the grants table beside this file; what each may see is ``access.py``.
"""

from bastion.core.domains import Capability, Command, Domain, Job
from bastion.core.i18n import lazy

DOMAIN = Domain(
    name="fieldalarms", package="bastion.fieldalarms",
    routers=("bastion.fieldalarms.api:router", "bastion.fieldalarms.views:router"),
    templates="templates",
    settings=("fieldalarms", "bastion.fieldalarms.settings:FieldAlarmSettings"),
    models=("bastion.fieldalarms.models",),
    visibility=("bastion.fieldalarms.access",),
    labels=("bastion.fieldalarms.service",),
    commands=(Command("field-alarms", "bastion.fieldalarms.cli:app",
                      "Field alarms: register alarm devices, rotate and revoke their keys."),),
    capabilities=(
        Capability("fieldalarms.read", lazy("See field alarms and alarm devices")),
        Capability("fieldalarms.act",
                   lazy("Acknowledge and close field alarms of one's command or post")),
        Capability("fieldalarms.devices",
                   lazy("Register alarm devices, rotate and revoke their keys")),
    ),
    grants="grants.csv",
    startup=("bastion.fieldalarms.mqtt:start",),
    jobs=(Job("fieldalarms-silent", "bastion.fieldalarms.jobs:flag_silent",
              "fieldalarms.watch_every_s"),),
    extra={"figures": "bastion.fieldalarms.figures:figures",
           "figures_title": lazy("Field alarms"),
           "case_sources": {"field_alarm": "bastion.fieldalarms.case_source:describe"}},
)
