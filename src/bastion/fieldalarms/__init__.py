"""Field alarms: one-button alarm posts and sensors over MQTT or HTTP (issue 17)."""
