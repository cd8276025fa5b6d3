from enum import StrEnum


class HitSubtype(StrEnum):
    FORM = "form"
    MIRROR = "mirror"
    OPEN = "open"
    REDIRECTION = "redirection"
    UNSUBSCRIBE = "unsubscribe"

    def __str__(self) -> str:
        return str(self.value)
