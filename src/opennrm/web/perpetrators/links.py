"""The link view: cases, proceedings and perpetrators connected through shared identifiers
(the same phone, card, company...) or persons (a victim's case taking part in a proceeding, a
perpetrator linked to a proceeding or named in a case, two cases of one person), built only from
what the viewer sees (`access.perpetrators`, `access.justice`), and laid out for a
server-rendered SVG (rings around the record asked about; no JavaScript, no CDN).
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from opennrm.access import justice as justice_gate
from opennrm.access import perpetrators as gate
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.justice.models import Participant
from opennrm.justice.perpetrator_vault import open_identity
from opennrm.justice.perpetrators import Perpetrator
from opennrm.tenancy.actor import Actor

Key = tuple[str, uuid.UUID]
MAX_NODES = 40
MAX_DEPTH = 3


@dataclass(frozen=True)
class Node:
    type: str
    id: uuid.UUID
    label: str
    url: str
    depth: int


@dataclass(frozen=True)
class Edge:
    left: Key
    right: Key
    label: str


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    truncated: bool = False

    def node(self, key: Key) -> Node:
        return next(n for n in self.nodes if (n.type, n.id) == key)


def _adjacency(actor: Actor) -> dict[Key, dict[Key, set[str]]]:
    """Every connection between records the actor sees, with what connects them."""
    adj: dict[Key, dict[Key, set[str]]] = defaultdict(lambda: defaultdict(set))

    def connect(a: Key, b: Key, why: str) -> None:
        if a != b:
            adj[a][b].add(why)
            adj[b][a].add(why)

    perpetrators = gate.visible_perpetrators(actor)
    proceeding_ids = set(justice_gate.visible_proceedings(actor).values_list("id", flat=True))
    case_ids = set(gate.cases_with_identifiers(actor).values_list("id", flat=True))
    linked = _("linked in the register")
    for perpetrator_id, proceeding_id in Perpetrator.proceedings.through.objects.filter(
        perpetrator__in=perpetrators.values("id"), proceeding_id__in=proceeding_ids
    ).values_list("perpetrator_id", "proceeding_id"):
        connect(("perpetrator", perpetrator_id), ("proceeding", proceeding_id), linked)
    named = _("named by the victim")
    for perpetrator_id, case_id in Perpetrator.cases.through.objects.filter(
        perpetrator__in=perpetrators.values("id"), case_id__in=case_ids
    ).values_list("perpetrator_id", "case_id"):
        connect(("perpetrator", perpetrator_id), ("case", case_id), named)
    takes_part = _("takes part in the proceeding")
    for case_id, proceeding_id in Participant.objects.filter(
        case_id__in=case_ids, proceeding_id__in=proceeding_ids
    ).values_list("case_id", "proceeding_id"):
        connect(("case", case_id), ("proceeding", proceeding_id), takes_part)
    # Two visible cases of one person.
    by_person: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for case_id, person_id in (
        gate.cases_with_identifiers(actor).values_list("id", "person_id").order_by("id")
    ):
        by_person[person_id].append(case_id)
    same = _("the same person")
    for cases in by_person.values():
        for a, b in itertools.pairwise(cases):
            connect(("case", a), ("case", b), same)
    # Shared identifiers, by kind (the value is never shown here).
    kinds = code_list(codes.IDENTIFIER_KIND)
    groups: dict[tuple[str, str], set[Key]] = defaultdict(set)
    for identifier in gate.visible_identifiers(actor).only(
        "kind", "digest", "perpetrator_id", "case_id", "proceeding_id"
    ):
        groups[(identifier.kind, identifier.digest)].add(
            (identifier.record_type, identifier.record_id)
        )
    for (kind, _digest), records in groups.items():
        ordered = sorted(records, key=lambda k: (k[0], str(k[1])))
        why = _("the same %(kind)s") % {"kind": kinds.label(kind).lower()}
        for i, left in enumerate(ordered):
            for right in ordered[i + 1 :]:
                connect(left, right, why)
    return adj


def _labels(actor: Actor, keys: list[Key]) -> dict[Key, tuple[str, str]]:
    """(label, url) of each record: a perpetrator by name (the viewer sees it), a case by its
    reference, a proceeding by its ERDR number."""
    out: dict[Key, tuple[str, str]] = {}
    by_type: dict[str, list[uuid.UUID]] = defaultdict(list)
    for kind, record_id in keys:
        by_type[kind].append(record_id)
    for p in gate.visible_perpetrators(actor).filter(id__in=by_type["perpetrator"]):
        out[("perpetrator", p.id)] = (
            open_identity(p).full_name or p.id.hex[:8].upper(),
            reverse("web:perpetrator_detail", kwargs={"perpetrator_id": p.id}),
        )
    for x in justice_gate.visible_proceedings(actor).filter(id__in=by_type["proceeding"]):
        out[("proceeding", x.id)] = (
            x.erdr_number,
            reverse("web:proceeding_detail", kwargs={"proceeding_id": x.id}),
        )
    for c in gate.cases_with_identifiers(actor).filter(id__in=by_type["case"]):
        out[("case", c.id)] = (
            _("case %(ref)s") % {"ref": c.reference},
            reverse("web:case_detail", kwargs={"case_id": c.id}),
        )
    return out


def graph_around(actor: Actor, start: Key) -> Graph:
    """The records within `MAX_DEPTH` steps of `start` (at most `MAX_NODES`)."""
    adj = _adjacency(actor)
    depth = {start: 0}
    order = [start]
    frontier = [start]
    truncated = False
    while frontier:
        following: list[Key] = []
        for key in frontier:
            if depth[key] >= MAX_DEPTH:
                continue
            for other in sorted(adj.get(key, {}), key=lambda k: (k[0], str(k[1]))):
                if other in depth:
                    continue
                if len(order) >= MAX_NODES:
                    truncated = True
                    continue
                depth[other] = depth[key] + 1
                order.append(other)
                following.append(other)
        frontier = following
    labels = _labels(actor, order)
    nodes = [Node(k[0], k[1], *labels[k], depth=depth[k]) for k in order if k in labels]
    kept = {(n.type, n.id) for n in nodes}
    edges = []
    for a in order:
        for b, why in adj.get(a, {}).items():
            if a in kept and b in kept and (a[0], str(a[1])) < (b[0], str(b[1])):
                edges.append(Edge(a, b, ", ".join(sorted(why))))
    return Graph(nodes, edges, truncated)


@dataclass(frozen=True)
class Placed:
    node: Node
    x: int
    y: int


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    label: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    nodes: list[Placed]
    lines: list[Line]


RING = 150
MARGIN = 120


def layout(graph: Graph) -> Drawing:
    """Each record on the ring of its distance from the start; lines for the connections."""
    rings: dict[int, list[Node]] = defaultdict(list)
    for node in graph.nodes:
        rings[node.depth].append(node)
    radius = RING * max(rings or {0: []})
    size = 2 * (radius + MARGIN)
    centre = size // 2
    placed: dict[Key, Placed] = {}
    for depth, nodes in rings.items():
        for i, node in enumerate(nodes):
            angle = 2 * math.pi * i / len(nodes) - math.pi / 2 + depth * 0.4
            r = RING * depth
            placed[(node.type, node.id)] = Placed(
                node, round(centre + r * math.cos(angle)), round(centre + r * math.sin(angle))
            )
    lines = [
        Line(placed[e.left].x, placed[e.left].y, placed[e.right].x, placed[e.right].y, e.label)
        for e in graph.edges
    ]
    return Drawing(int(size), int(size), list(placed.values()), lines)
