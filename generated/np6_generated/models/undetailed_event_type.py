from enum import StrEnum


class UndetailedEventType(StrEnum):
    COMPLAINT = "complaint"
    CREATION = "creation"
    IMPRESSION = "impression"
    MODIFICATION = "modification"
    OPTOUT = "optout"
    SUPPRESSION = "suppression"

    def __str__(self) -> str:
        return str(self.value)
