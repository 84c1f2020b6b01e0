"""Service levers (seeds 000, 001): each raises the chance a complaint is resolved well.

Service quality *is* that chance in this model (see sim/behaviour/experiences.py),
so every service lever adds to it, at a cost per subscriber per month:
- `first_contact_resolution`: the first agent owns the problem to the end (001);
- `complaint_deadline`: an answer within a promised number of days; seed 000
  cites Unicom's 15-day promise. The gain grows with the days saved against a
  30-day status quo (assumption);
- `complaint_follow_up`: a follow-up call and compensation after a complaint (001);
- `ai_human_support`: an AI assistant with a human behind it (001);
- `service_quality_change`: a plain change of service quality.
"""

from __future__ import annotations

from typing import Literal

from sim.levers.base import Action, Offer, Usage
from sim.params import ASSUMPTION, SEED, param

STATUS_QUO_COMPLAINT_DAYS = 30  # days to answer a complaint without a promise (assumption)


class _ServiceLever(Action):
    """A service programme: a gain in resolution chance for a per-subscriber monthly cost."""

    cost_per_subscriber_month: float = param(
        0.2, unit="yuan/subscriber/month", source=ASSUMPTION, ge=0,
        description="Running cost per real subscriber of the carrier.")

    def gain(self) -> float:
        return self.delta

    def apply(self, offer: Offer, months_active: int) -> None:
        offer.service_quality += self.gain()

    def lever_cost(self, usage: Usage, index: int) -> float:
        return self.cost_per_subscriber_month * usage.subscribers


class ServiceQualityChange(Action):
    """Raise (or lower) service quality: the chance a complaint is resolved well."""

    ORDER = 90  # position in the documentation and the columns

    lever: Literal["service_quality_change"]
    delta: float = param(..., unit="quality 0..1", source=SEED["001"], ge=-1, le=1,
                         description="Change in service quality.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Add `delta` to service quality."""
        offer.service_quality += self.delta


class FirstContactResolution(_ServiceLever):
    """The first agent a customer reaches owns the problem until it is solved."""

    ORDER = 100  # position in the documentation and the columns

    lever: Literal["first_contact_resolution"]
    delta: float = param(0.05, unit="probability", source=SEED["001"] + "; " + ASSUMPTION,
                         ge=0, le=1, description="Gain in the chance of a good resolution.")


class ComplaintDeadline(_ServiceLever):
    """A promise to answer every complaint within `promised_days` (seed 000: 15 days)."""

    ORDER = 110  # position in the documentation and the columns

    lever: Literal["complaint_deadline"]
    promised_days: int = param(15, unit="days", source=SEED["000"], ge=1, le=60,
                               description="Longest time to an answer.")
    gain_per_day: float = param(
        0.003, unit="probability per day saved", source=ASSUMPTION, ge=0, le=0.1,
        description="Resolution gain per day saved against a 30-day status quo.")

    def gain(self) -> float:
        """Resolution gain (probability): `gain_per_day` for each day saved against 30 days."""
        return self.gain_per_day * max(STATUS_QUO_COMPLAINT_DAYS - self.promised_days, 0)


class ComplaintFollowUp(_ServiceLever):
    """Call back after a complaint, and compensate: better resolution and a bigger recovery."""

    ORDER = 120  # position in the documentation and the columns

    lever: Literal["complaint_follow_up"]
    delta: float = param(0.03, unit="probability", source=SEED["001"] + "; " + ASSUMPTION,
                         ge=0, le=1, description="Gain in the chance of a good resolution.")
    compensation: float = param(20.0, unit="yuan/complaint", source=SEED["001"] + "; "
                                + ASSUMPTION, ge=0, description="Paid per complaint.")
    extra_recovery: float = param(
        0.04, unit="satisfaction", source=ASSUMPTION, ge=0, le=1,
        description="Extra satisfaction restored when a complaint is resolved well.")

    def apply(self, offer: Offer, months_active: int) -> None:
        """Add the service gain, and `extra_recovery` to the offer's complaint recovery."""
        super().apply(offer, months_active)
        offer.complaint_recovery_extra += self.extra_recovery

    def lever_cost(self, usage: Usage, index: int) -> float:
        """Yuan booked this month: the running cost plus compensation per complaint."""
        return super().lever_cost(usage, index) + self.compensation * usage.complaints


class AiHumanSupport(_ServiceLever):
    """An AI assistant that answers at once, with a human behind it for hard cases."""

    ORDER = 130  # position in the documentation and the columns

    lever: Literal["ai_human_support"]
    delta: float = param(0.04, unit="probability", source=SEED["001"] + "; " + ASSUMPTION,
                         ge=0, le=1, description="Gain in the chance of a good resolution.")
