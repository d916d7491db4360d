"""What a push, a pull and a whole sync round did, with a plain-words summary for people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.sync.errors import SyncError


@dataclass
class PushReport:
    """The outcome of :meth:`kiosk.sync.client.SyncClient.push_pending`.

    ``error`` is the failure that stopped the push (the events of that batch
    stay waiting); batches before it were settled. ``status_sent``: with no
    event to send, an empty batch told the cloud the kiosk's changed status.
    """

    batches: int = 0
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    error: SyncError | None = None
    status_sent: bool = False

    @property
    def delivered(self) -> int:
        """Events the server now holds (new ones and ones it had already)."""
        return self.accepted + self.duplicate

    def summary(self) -> str:
        """One line for a coordinator."""
        if self.sent == 0 and self.error is None:
            return "nothing to send"
        words = f"sent {_count(self.delivered, 'record')}" if self.delivered else "sent nothing"
        if self.duplicate:
            words += f" ({self.duplicate} already on the server)"
        if self.rejected:
            words += f"; the server refused {len(self.rejected)} (kept here, see kiosk sync-status)"
        if self.error is not None:
            words += f"; then failed: {self.error.message}"
        return words


@dataclass
class FacePushReport:
    """The outcome of :meth:`kiosk.sync.client.SyncClient.push_faces`: enrolments and deletions sent.

    ``superseded``: the cloud already held a newer record of that volunteer
    (the next pull brings it); ``error`` stopped the push, as for events.
    """

    batches: int = 0
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    superseded: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    error: SyncError | None = None

    def add(self, sent: int, settled: Mapping[str, str], rejected: Mapping[str, str]) -> None:
        """Count one settled batch."""
        self.batches += 1
        self.sent += sent
        outcomes = list(settled.values())
        self.accepted += outcomes.count("accepted")
        self.duplicate += outcomes.count("duplicate")
        self.superseded += outcomes.count("superseded")
        self.rejected.extend(sorted(rejected.items()))

    def summary(self) -> str:
        """One line for a coordinator."""
        if self.sent == 0 and self.error is None:
            return "nothing to send"
        delivered = self.accepted + self.duplicate + self.superseded
        words = f"sent {_count(delivered, 'face record')}" if delivered else "sent nothing"
        if self.superseded:
            words += f" ({self.superseded} already replaced by newer ones on the server)"
        if self.rejected:
            words += f"; the server refused {len(self.rejected)} (kept here, see kiosk sync-status)"
        if self.error is not None:
            words += f"; then failed: {self.error.message}"
        return words


@dataclass
class PullReport:
    """The outcome of :meth:`kiosk.sync.client.SyncClient.pull`.

    ``trust_changed``: revocations or trusted keys changed, so the caller
    must reload the verifier (``Kiosk.reload_trust()``).
    """

    pages: int = 0
    applied: int = 0
    problems: list[str] = field(default_factory=list)
    trust_changed: bool = False
    #: Face templates or consents changed: a face gallery in memory must be loaded again.
    faces_changed: bool = False
    #: Records of this kiosk the cloud reports it lacks, and how many of them were queued to send again.
    missing: int = 0
    requeued: int = 0
    error: SyncError | None = None

    def summary(self) -> str:
        """One line for a coordinator."""
        words = f"received {_count(self.applied, 'update')}" if self.applied else "no new updates"
        if self.missing:
            words += f"; the cloud lacks {_count(self.missing, 'record')} of this kiosk"
            if self.requeued:
                words += f", {self.requeued} queued to send again"
        if self.problems:
            words += f"; {len(self.problems)} could not be used (see the log)"
        if self.error is not None:
            words += f"; then failed: {self.error.message}"
        return words


@dataclass
class SyncReport:
    """One round of :meth:`kiosk.sync.client.SyncClient.sync_once`: clock, push, pull."""

    clock_offset_s: float | None = None
    push: PushReport | None = None
    face_push: FacePushReport | None = None
    pull: PullReport | None = None
    errors: list[SyncError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every step succeeded."""
        return not self.errors

    @property
    def error(self) -> SyncError | None:
        """The first failure of the round, if any."""
        return self.errors[0] if self.errors else None

    @property
    def trust_changed(self) -> bool:
        """Whether the caller must reload trusted keys and revocations."""
        return self.pull is not None and self.pull.trust_changed

    @property
    def faces_changed(self) -> bool:
        """Whether the caller must load the face gallery again."""
        return self.pull is not None and self.pull.faces_changed

    def lines(self) -> list[str]:
        """What happened, in plain words, one line per step."""
        out = []
        if self.clock_offset_s is not None:
            out.append(f"clock: this kiosk is {offset_words(self.clock_offset_s)}")
        if self.push is not None:
            out.append(f"upload: {self.push.summary()}")
        if self.face_push is not None and (self.face_push.sent or self.face_push.error is not None):
            out.append(f"face data: {self.face_push.summary()}")
        if self.pull is not None:
            out.append(f"download: {self.pull.summary()}")
        steps = (self.push, self.face_push, self.pull)
        reported = {id(r.error) for r in steps if r is not None and r.error is not None}
        out.extend(f"failed: {e.message}" for e in self.errors if id(e) not in reported)
        return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def offset_words(offset_s: float) -> str:
    """Server minus device time, as a person would say it."""
    if abs(offset_s) < 1:
        return "in step with the server"
    direction = "behind" if offset_s > 0 else "ahead of"
    seconds = abs(offset_s)
    amount = f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"
    return f"{amount} {direction} the server"
