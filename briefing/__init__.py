"""briefing: one-page, fact-checked briefings from earnings-call transcripts."""

from briefing.errors import (
    BriefingError,
    BriefingRuntimeError,
    ConfigError,
    DeliveryError,
    EngineError,
    InputError,
    OutputInvalidError,
    StoreError,
    UserError,
)
from briefing.pipeline import build_briefing
from briefing.schemas import Briefing
from briefing.transcript.model import Exchange, Participant, Remarks, Transcript, Turn
from briefing.transcript.reader import parse_transcript

__version__ = "0.1.0"

__all__ = [
    "Briefing",
    "BriefingError",
    "BriefingRuntimeError",
    "ConfigError",
    "DeliveryError",
    "EngineError",
    "Exchange",
    "InputError",
    "OutputInvalidError",
    "Participant",
    "Remarks",
    "StoreError",
    "Transcript",
    "Turn",
    "UserError",
    "__version__",
    "build_briefing",
    "parse_transcript",
]
