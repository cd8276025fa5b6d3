from enum import StrEnum


class EventType(StrEnum):
    ACTIVATION = "activation"
    BOUNCE = "bounce"
    CANCELLATION = "cancellation"
    EXECUTION = "execution"
    HIT = "hit"
    REPLY = "reply"

    def __str__(self) -> str:
        return str(self.value)
