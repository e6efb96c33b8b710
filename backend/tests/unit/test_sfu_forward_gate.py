"""The gate of one subscriber's copy of a video track: from a keyframe on after every
(re)start, nothing while hidden, asking the publisher again while no keyframe comes."""

from __future__ import annotations

from rapat.sfu.forward_gate import ForwardGate, Step


def test_a_new_copy_waits_for_a_keyframe_then_forwards_everything() -> None:
    gate = ForwardGate()
    assert not gate.open
    assert gate.restart(now=0.0)  # the start: ask the publisher for a keyframe
    assert gate.admit(starts_keyframe=False, now=0.1) is Step.DROP
    assert gate.admit(starts_keyframe=True, now=0.2) is Step.FORWARD
    assert gate.open
    assert gate.admit(starts_keyframe=False, now=0.3) is Step.FORWARD  # deltas now


def test_a_restart_waits_for_the_next_keyframe_again() -> None:
    gate = ForwardGate()
    gate.restart(0.0)
    gate.admit(True, 0.0)
    assert gate.restart(5.0)  # the camera came back on
    assert not gate.open
    assert gate.admit(False, 5.1) is Step.DROP
    assert gate.admit(True, 5.2) is Step.FORWARD


def test_a_wait_that_lasts_asks_the_publisher_again_once_per_retry() -> None:
    gate = ForwardGate(retry=1.0)
    gate.restart(0.0)
    steps = [gate.admit(False, t / 10) for t in range(1, 25)]  # 2.4 s of deltas
    asked = [i for i, step in enumerate(steps, start=1) if step is Step.DROP_AND_ASK]
    assert asked == [10, 20]  # at 1.0 s and 2.0 s
    assert all(step in (Step.DROP, Step.DROP_AND_ASK) for step in steps)


def test_a_hidden_copy_forwards_nothing_and_resumes_at_a_keyframe_when_shown() -> None:
    gate = ForwardGate()
    gate.restart(0.0)
    gate.admit(True, 0.0)
    assert not gate.set_hidden(True, 1.0)  # nothing to ask for
    assert not gate.set_hidden(True, 1.1)  # (again: idempotent)
    assert gate.hidden
    assert not gate.open
    assert gate.admit(True, 1.2) is Step.DROP  # not even a keyframe
    assert gate.admit(False, 9.0) is Step.DROP  # and never asks while hidden
    assert gate.set_hidden(False, 10.0)  # shown: ask for a keyframe at once
    assert not gate.set_hidden(False, 10.1)
    assert gate.admit(False, 10.2) is Step.DROP
    assert gate.admit(True, 10.3) is Step.FORWARD


def test_a_restart_while_hidden_asks_only_when_shown() -> None:
    gate = ForwardGate()
    gate.set_hidden(True, 0.0)
    assert not gate.restart(1.0)  # a resume of the publisher's camera, unseen
    assert gate.set_hidden(False, 2.0)
    assert gate.admit(True, 2.1) is Step.FORWARD
