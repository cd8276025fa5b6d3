"""Contains all the data models used in inputs/outputs"""

from .activation import Activation
from .activation_event import ActivationEvent
from .bounce import Bounce
from .bounce_analysis import BounceAnalysis
from .bounce_analysis_subject import BounceAnalysisSubject
from .bounce_event import BounceEvent
from .bounce_status import BounceStatus
from .bounce_status_code import BounceStatusCode
from .cancellation import Cancellation
from .cancellation_event import CancellationEvent
from .cancellation_value import CancellationValue
from .channel_type import ChannelType
from .contact_by_id_or_unicity import ContactByIdOrUnicity
from .contact_by_id_unicity_or_hash import ContactByIdUnicityOrHash
from .contact_receiver import ContactReceiver
from .contact_receiver_value import ContactReceiverValue
from .customer_identity import CustomerIdentity
from .display_event import DisplayEvent
from .display_source import DisplaySource
from .display_source_detail import DisplaySourceDetail
from .email_source import EmailSource
from .error import Error
from .event_kind_filter import EventKindFilter
from .event_type import EventType
from .execution import Execution
from .execution_data import ExecutionData
from .execution_event import ExecutionEvent
from .footprint_receiver import FootprintReceiver
from .form_link import FormLink
from .hit_event import HitEvent
from .hit_subtype import HitSubtype
from .id_receiver import IdReceiver
from .ipv_4 import Ipv4
from .ipv_6 import Ipv6
from .item_events_filter import ItemEventsFilter
from .items_events_query import ItemsEventsQuery
from .mirror_link import MirrorLink
from .notification_source import NotificationSource
from .open_link import OpenLink
from .parsed_user_agent import ParsedUserAgent
from .parsed_user_agent_client import ParsedUserAgentClient
from .parsed_user_agent_device import ParsedUserAgentDevice
from .parsed_user_agent_os import ParsedUserAgentOs
from .raw_user_agent import RawUserAgent
from .redirection_link import RedirectionLink
from .reply import Reply
from .reply_event import ReplyEvent
from .robot_client import RobotClient
from .sms_source import SmsSource
from .sort_order import SortOrder
from .source_detail import SourceDetail
from .stamp import Stamp
from .undetailed_event import UndetailedEvent
from .undetailed_event_type import UndetailedEventType
from .unsubscribe_link import UnsubscribeLink
from .web_client import WebClient

__all__ = (
    "Activation",
    "ActivationEvent",
    "Bounce",
    "BounceAnalysis",
    "BounceAnalysisSubject",
    "BounceEvent",
    "BounceStatus",
    "BounceStatusCode",
    "Cancellation",
    "CancellationEvent",
    "CancellationValue",
    "ChannelType",
    "ContactByIdOrUnicity",
    "ContactByIdUnicityOrHash",
    "ContactReceiver",
    "ContactReceiverValue",
    "CustomerIdentity",
    "DisplayEvent",
    "DisplaySource",
    "DisplaySourceDetail",
    "EmailSource",
    "Error",
    "EventKindFilter",
    "EventType",
    "Execution",
    "ExecutionData",
    "ExecutionEvent",
    "FootprintReceiver",
    "FormLink",
    "HitEvent",
    "HitSubtype",
    "IdReceiver",
    "Ipv4",
    "Ipv6",
    "ItemEventsFilter",
    "ItemsEventsQuery",
    "MirrorLink",
    "NotificationSource",
    "OpenLink",
    "ParsedUserAgent",
    "ParsedUserAgentClient",
    "ParsedUserAgentDevice",
    "ParsedUserAgentOs",
    "RawUserAgent",
    "RedirectionLink",
    "Reply",
    "ReplyEvent",
    "RobotClient",
    "SmsSource",
    "SortOrder",
    "SourceDetail",
    "Stamp",
    "UndetailedEvent",
    "UndetailedEventType",
    "UnsubscribeLink",
    "WebClient",
)
