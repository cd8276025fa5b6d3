from enum import StrEnum


class ChannelType(StrEnum):
    EMAIL = "email"
    NOTIFICATION = "notification"
    SMS = "sms"

    def __str__(self) -> str:
        return str(self.value)
