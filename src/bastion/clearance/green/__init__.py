"""Green channel (绿色通道): emergencies and expedited handling of a port call."""
