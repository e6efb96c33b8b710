"""A node's load figure and record (decision 61): pure parts."""

from __future__ import annotations

import json

import pytest

from rapat.cluster.load_meter import LoadMeter
from rapat.cluster.node_record import NodeLoad, NodeRecord, least_loaded


def test_the_score_is_whichever_is_nearer_its_limit() -> None:
    assert NodeLoad(participants=50, cpu=0.2).score(capacity=100) == 0.5
    assert NodeLoad(participants=10, cpu=0.8).score(capacity=100) == 0.8
    assert NodeLoad(participants=3).score(capacity=0) == 3  # a zero capacity is one


def test_a_record_survives_its_encoding() -> None:
    record = NodeRecord("n1", "wss://meet.example/node/1/ws", NodeLoad(4, 2, 850.5, 0.31), True)
    assert NodeRecord.decode(record.encode()) == record
    assert NodeRecord.decode(NodeRecord("n2", None, NodeLoad()).encode()) == NodeRecord(
        "n2", None, NodeLoad()
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"[]",
        b'{"v": 2, "node_id": "a", "url": null, "load": {}, "draining": false}',
        b'{"v": 1, "node_id": 5, "url": null, "load": {}, "draining": false}',
        b'{"v": 1, "node_id": "a", "url": 7, "load": {}, "draining": false}',
        b'{"v": 1, "node_id": "a", "url": null, "load": {"bogus": 1}, "draining": false}',
        b'{"v": 1, "node_id": "a", "url": null, "load": []}',
    ],
)
def test_anything_else_decodes_to_nothing(raw: bytes) -> None:
    assert NodeRecord.decode(raw) is None


def test_the_record_says_its_version() -> None:
    assert json.loads(NodeRecord("a", None, NodeLoad()).encode())["v"] == 1


def test_the_least_loaded_reachable_node_wins_and_ties_agree() -> None:
    def node(name: str, cpu: float, rooms: int = 0, url: str | None = "ws://x/ws") -> NodeRecord:
        return NodeRecord(name, url, NodeLoad(rooms=rooms, cpu=cpu))

    nodes = [
        node("c", 0.5),
        node("b", 0.2, rooms=3),
        node("a", 0.2, rooms=3),
        node("d", 0.1, url=None),
    ]
    winner = least_loaded(nodes, capacity=100)
    assert winner is not None
    assert winner.node_id == "a"
    nodes.append(node("e", 0.2, rooms=1))
    assert least_loaded(nodes, 100) == nodes[-1]  # fewer rooms breaks the tie
    assert least_loaded([node("f", 0.0, url=None)], 100) is None


class Ticking:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rates_are_per_second_since_the_last_reading_and_smoothed() -> None:
    wall, cpu = Ticking(), Ticking()
    sent = [0]
    meter = LoadMeter(lambda: 7, lambda: 2, lambda: sent[0], clock=wall, cpu_time=cpu)
    wall.now, cpu.now, sent[0] = 2.0, 1.6, 2000  # 0.8 of a core, 1000 packets/s
    first = meter.read()
    assert first == NodeLoad(participants=7, rooms=2, packets_per_second=500.0, cpu=0.4)
    wall.now, cpu.now, sent[0] = 4.0, 3.2, 4000
    second = meter.read()
    assert (second.cpu, second.packets_per_second) == (0.6, 750.0)  # half-way each time


def test_a_reading_at_the_same_instant_changes_nothing() -> None:
    wall, cpu = Ticking(), Ticking()
    meter = LoadMeter(lambda: 0, lambda: 0, lambda: 0, clock=wall, cpu_time=cpu)
    assert meter.read() == meter.read() == NodeLoad()


def test_noise_in_the_score_does_not_decide_and_recent_rooms_count() -> None:
    a = NodeRecord("a", "ws://a/ws", NodeLoad(rooms=2, cpu=0.21))
    b = NodeRecord("b", "ws://b/ws", NodeLoad(rooms=1, cpu=0.24))
    assert least_loaded([a, b], 100) == b  # the same step: fewer rooms wins
    assert least_loaded([a, b], 100, {"b": 2}) == a  # b got two rooms since its record
    c = NodeRecord("c", "ws://c/ws", NodeLoad(rooms=0, cpu=0.31))
    assert least_loaded([a, c], 100) == a  # a step apart: the score decides
