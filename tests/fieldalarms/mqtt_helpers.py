"""The local Mosquitto (127.0.0.1:1883, on these machines and in CI) for the broker tests and
the latency bench: is it there, and publish to it as a device would (QoS 1)."""

from __future__ import annotations

import json
import socket
from typing import Any

BROKER = ("127.0.0.1", 1883)


def broker_up() -> bool:
    try:
        with socket.create_connection(BROKER, timeout=1):
            return True
    except OSError:
        return False


class Publisher:
    """One connected paho client, publishing with QoS 1 and waiting for the broker's ack."""

    def __init__(self) -> None:
        import paho.mqtt.client as mqtt

        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.connect(*BROKER)
        self.client.loop_start()

    def publish(self, topic: str, payload: dict[str, Any] | bytes | str) -> None:
        data = payload if isinstance(payload, bytes | str) else json.dumps(payload)
        info = self.client.publish(topic, data, qos=1)
        info.wait_for_publish(10)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()
