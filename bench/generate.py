"""Synthetic partnership graphs for kgraph's benchmarks, written as Turtle.

The graphs use kgraph's own vocabulary and IRI style (``cedorg:bench-org-123``,
``cedflow:bench-flow-7``, the bundled flow kinds ``cedkind:*``, flow statuses
``cedstatus:occurred`` / ``cedstatus:planned`` and places ``cedplc:*``), so they load beside
the bundled ontology and vocabularies and every kgraph query and metric runs on them as on
the curated data.

Structure (deterministic for a given seed):

- organisations arrive one after the other; each forms partnerships with earlier
  organisations chosen by **preferential attachment** (an urn per hemisphere), so a few
  hubs gather many partners (heavy-tailed degree) while most have one or two;
- about 70% of partnerships cross the North/South line; organisations are located in
  bundled countries (Canada and its cities, France, Belgium / Mali, Senegal, Niger, ...) so
  kgraph's North/South grouping (ODA-recipient flag) works;
- some organisations are programmes run by members (``org:hasMember``) or units of a parent
  (``org:unitOf``); about a third are headed by a person (``org:headOf``), some persons are
  members (``org:memberOf``) with an ``org:Membership`` and role;
- partnerships have 2-3 partners (``ced:partner``), often a facilitator and a funder
  (drawn by preferential attachment from the programmes, NGOs, networks and government
  departments), a start date and evidence;
- every pair of partners exchanges flows (``ced:KnowledgeFlow`` with ``ced:source``,
  ``ced:target``, ``ced:kind``, ``ced:status``, ``ced:inPartnership``, a date or the event it
  happened at, a topic, and an evidence blank node): about 55% of pairs exchange both ways,
  the others one way; 80% knowledge kinds, 20% resource kinds; 85% occurred, 15% planned;
  some flows start or end at the person heading an organisation (kgraph rolls them up);
- partnerships hold events (conferences, missions, seminars, ...) attended by the partners,
  and a few large conferences gather many organisations;
- a few organisations are collective agents (``ced:CollectiveAgent``, a group a source names
  only collectively): not being ``org:Organization``, they are never partners, members or
  parents, and only attend the big conferences;
- everything the shapes ask evidence of (organisations, persons, memberships, events, the
  source document) carries a ``ced:evidence`` node, so ``kgraph validate`` finds no violation;
- about 12 triples per flow (counting its evidence node), about 72 per organisation overall.

The file is written as it is generated (nothing but a few integer arrays is kept in memory),
so millions of triples need no more than a few tens of MB.

Usage::

    .venv/bin/python bench/generate.py --triples 1000000 --out bench/out/g-1M.ttl
    .venv/bin/python bench/generate.py --orgs 10000 --out bench/out/orgs-10k.ttl --seed 7

The number of triples written is printed on stderr (``--triples`` is approximate: it fixes
the number of organisations from the calibrated ratio TRIPLES_PER_ORG).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from array import array
from pathlib import Path

#: Triples written per organisation on average (measured: 71.9-72.8 for 3k-100k orgs, seeds 1-3).
TRIPLES_PER_ORG = 72.3

PREFIXES = """\
@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix cedevt: <https://w3id.org/cedkg/id/event/> .
@prefix cedflow: <https://w3id.org/cedkg/id/flow/> .
@prefix cedkind: <https://w3id.org/cedkg/id/flow-kind/> .
@prefix cedmem: <https://w3id.org/cedkg/id/membership/> .
@prefix cedorg: <https://w3id.org/cedkg/id/org/> .
@prefix cedpart: <https://w3id.org/cedkg/id/partnership/> .
@prefix cedper: <https://w3id.org/cedkg/id/person/> .
@prefix cedplc: <https://w3id.org/cedkg/id/place/> .
@prefix cedrole: <https://w3id.org/cedkg/id/role/> .
@prefix cedsrc: <https://w3id.org/cedkg/id/source/> .
@prefix cedstatus: <https://w3id.org/cedkg/id/flow-status/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix esstheme: <http://purl.org/essglobal/standard/themes/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""

SOURCE = "cedsrc:bench-synthetic"

# (place, weight); all are bundled in ontology/vocab/places.ttl or countries.ttl.
NORTH = [("cedplc:canada", 30), ("cedplc:ottawa", 6), ("cedplc:montreal", 6), ("cedplc:victoria", 3),
         ("cedplc:calgary", 3), ("cedplc:nelson", 1), ("cedplc:plantagenet", 1), ("cedplc:st-johns", 2),
         ("cedplc:prince-george", 1), ("cedplc:comox", 1), ("cedplc:ontario", 2), ("cedplc:quebec", 2),
         ("cedplc:france", 4), ("cedplc:belgium", 2), ("cedplc:switzerland", 1)]
SOUTH = [("cedplc:mali", 10), ("cedplc:senegal", 8), ("cedplc:niger", 5), ("cedplc:burkina-faso", 5),
         ("cedplc:bamako", 3), ("cedplc:dakar", 3), ("cedplc:benin", 3), ("cedplc:ghana", 3),
         ("cedplc:cameroon", 3), ("cedplc:cote-d-ivoire", 3), ("cedplc:togo", 2), ("cedplc:guinea", 2),
         ("cedplc:haiti", 3), ("cedplc:bolivia-plurinational-state-of", 2), ("cedplc:peru", 2),
         ("cedplc:guatemala", 2), ("cedplc:nicaragua", 1), ("cedplc:kenya", 2), ("cedplc:rwanda", 1),
         ("cedplc:tanzania-the-united-republic-of", 1), ("cedplc:madagascar", 1), ("cedplc:viet-nam", 2),
         ("cedplc:philippines", 2)]

# (class(es), label word, weight, can facilitate, can fund)
ORG_TYPES = [
    ("ced:NGO", "Association", 24, True, True),
    ("ced:Cooperative", "Coopérative", 14, False, False),
    ("ced:SocialEnterprise", "Social Enterprise", 14, False, False),
    ("ced:Network", "Network", 9, True, False),
    ("ced:MunicipalAssociation", "Municipal Association", 6, True, False),
    ("ced:ResearchOrganisation", "Research Centre", 4, False, False),
    ("ced:GovernmentDepartment", "Ministry", 3, False, True),
    ("org:Organization", "Organisation", 14, False, False),
    ("ced:CollectiveAgent", "Collective", 3, False, False),
    ("ced:Programme , org:OrganizationalCollaboration", "Programme", 5, True, True),
    ("org:OrganizationalUnit", "Unit", 4, False, False),
]
COLLECTIVE, PROGRAMME, UNIT = 8, 9, 10

KNOWLEDGE_KINDS = ["facilitation", "vision-strategy", "debate", "documents-tools", "training",
                   "information-sharing", "practices", "contacts", "research"]
RESOURCE_KINDS = ["funding", "logistics", "trade-products", "volunteering"]
EVENT_TYPES = ["ced:Conference", "ced:Mission", "ced:Seminar", "ced:Roundtable", "ced:Tour"]
THEMES = [f"esstheme:T{i}" for i in range(1, 20)]
WORDS = ["Solidarité", "Avenir", "Horizon", "Kanaga", "Sahel", "Prairie", "Riverside", "Baobab", "Nord",
         "Sud", "Pacific", "Atlantic", "Harmony", "Espoir", "Terra", "Unity", "Jigiya", "Teranga",
         "Laurentian", "Boreal", "Niger Bend", "Fleuve", "Savane", "Maple"]
FIRST = ["Aminata", "Jean", "Fatou", "Marie", "Moussa", "Claire", "Oumar", "Louise", "Ibrahim", "Sophie",
         "Awa", "Pierre", "Mariam", "Ethan", "Seydou", "Chloé", "Binta", "Luc", "Kadiatou", "Nathalie"]
LAST = ["Traoré", "Tremblay", "Diallo", "Gagnon", "Keita", "Roy", "Coulibaly", "Côté", "Ndiaye", "Bouchard",
        "Sow", "Gauthier", "Maïga", "Morin", "Ba", "Lavoie", "Touré", "Fortin", "Cissé", "Pelletier"]


def _items_and_weights(pairs):
    """[(item, weight), ...] -> ([item, ...], [weight, ...]) for random.choices."""
    items, weights = zip(*pairs)
    return list(items), list(weights)


class Writer:
    """Buffered Turtle writer that counts triples."""

    def __init__(self, f):
        self.f = f
        self.buf: list[str] = []
        self.size = 0
        self.triples = 0

    def block(self, subject: str, props: list[tuple[str, str]]) -> None:
        """Write ``subject p1 o1 ; p2 o2 .``: an object may be a list ``o1 , o2`` or an
        evidence ``[ ... ]`` blank node; their triples are counted here."""
        self.buf.append(subject + "\n    " + " ;\n    ".join(f"{p} {o}" for p, o in props) + " .\n\n")
        for _, o in props:
            if o.startswith("["):
                self.triples += 4  # the link and the blank node's own 3 triples
            elif o.startswith('"'):
                self.triples += 1
            else:
                self.triples += 1 + o.count(" , ")
        if len(self.buf) >= 2000:
            self.flush()

    def line(self, text: str, triples: int) -> None:
        """Write raw Turtle *text* holding *triples* triples."""
        self.buf.append(text)
        self.triples += triples

    def flush(self) -> None:
        """Write out what is buffered."""
        self.f.write("".join(self.buf))
        self.buf.clear()


def evidence(quote: str) -> str:
    """An evidence blank node (3 triples of its own)."""
    return f'[ a ced:Evidence ; prov:hadPrimarySource {SOURCE} ; ced:quote "{quote}" ]'


def generate(out, n_orgs: int, seed: int = 1) -> dict[str, int]:
    """Write a synthetic graph of *n_orgs* organisations to the text file *out*; return counts."""
    return _Generator(out, n_orgs, seed).run()


def org(o: int) -> str:
    """The prefixed IRI of organisation *o*."""
    return f"cedorg:bench-org-{o}"


def person(p: int) -> str:
    """The prefixed IRI of person *p*."""
    return f"cedper:bench-person-{p}"


class _Generator:
    """The state of one generation: the random source, the writer, the urns and counters.

    Each method writes one kind of resource; the order of their random draws is what makes a
    seed give the same file.
    """

    def __init__(self, out, n_orgs: int, seed: int):
        self.rng = random.Random(seed)
        self.n_orgs, self.seed = n_orgs, seed
        self.w = Writer(out)
        self.north_places = _items_and_weights(NORTH)
        self.south_places = _items_and_weights(SOUTH)
        self.type_weights = [t[2] for t in ORG_TYPES]
        self.south = bytearray(n_orgs)           # 1 = South
        self.collective = bytearray(n_orgs)      # 1 = ced:CollectiveAgent: not an org:Organization, never a partner
        self.head = array("i", [-1]) * n_orgs    # person heading the org, or -1
        self.member = array("i", [-1]) * n_orgs  # a (non-heading) member person, or -1
        self.urn = (array("i"), array("i"))      # preferential-attachment urns: North, South
        self.fac_urn, self.fund_urn = array("i"), array("i")
        self.counts = dict.fromkeys(("organisations", "persons", "partnerships", "events", "flows", "conferences"), 0)
        self.n_conf = max(3, n_orgs // 500)
        self.conf_attendees: list[list[int]] = [[] for _ in range(self.n_conf)]

    def run(self) -> dict[str, int]:
        """Write the whole graph; return the counts, triples included."""
        self.source_document()
        for i in range(self.n_orgs):
            name = self.organisation(i)
            if self.collective[i]:
                continue
            self.people(i, name)
            if self.rng.random() < 0.05:  # goes to one of the big conferences (earlier ones are more popular)
                self.conf_attendees[min(int(self.n_conf * self.rng.random() ** 2.5), self.n_conf - 1)].append(i)
            self.partnerships(i)
        self.conferences()
        self.w.flush()
        return {**self.counts, "triples": self.w.triples}

    # -- random draws ------------------------------------------------------------------------

    def place(self, south: int) -> str:
        """A bundled place of the hemisphere, by weight."""
        places, weights = self.south_places if south else self.north_places
        return self.rng.choices(places, weights)[0]

    def pick(self, hemisphere: int, exclude: set[int]) -> int:
        """An earlier organisation of the hemisphere, by preferential attachment (or -1)."""
        u = self.urn[hemisphere]
        if not u:
            return -1
        for _ in range(8):
            o = u[int(self.rng.random() * len(u))]
            if o not in exclude:
                return o
        return -1

    def earlier_organisation(self, i: int) -> int:
        """A random earlier organisation that is not a collective agent (or -1)."""
        for _ in range(8):
            o = self.rng.randint(0, i - 1) if i else -1
            if o >= 0 and not self.collective[o]:
                return o
        return -1

    def agent(self, o: int) -> str:
        """The organisation, or now and then the person heading it or a member (rolled up by kgraph)."""
        r = self.rng.random()
        if r < 0.15 and self.head[o] >= 0:
            return person(self.head[o])
        if r > 0.96 and self.member[o] >= 0:
            return person(self.member[o])
        return org(o)

    def new_person(self) -> int:
        """The id of a new person."""
        self.counts["persons"] += 1
        return self.counts["persons"] - 1

    # -- resources ---------------------------------------------------------------------------

    def source_document(self) -> None:
        """The file's header, prefixes and the one source document all evidence cites."""
        self.w.line(f"# Synthetic kgraph benchmark graph: {self.n_orgs} organisations, seed {self.seed} "
                    "(bench/generate.py).\n\n", 0)
        self.w.line(PREFIXES, 0)
        self.w.block(SOURCE, [
            ("a", "ced:SourceDocument"), ("dcterms:title", '"Synthetic partnership graph for kgraph benchmarks"@en'),
            ("dcterms:description", f'"Generated by bench/generate.py with seed {self.seed}; not real data."@en'),
            ("ced:evidence", evidence("Synthetic partnership graph for kgraph benchmarks."))])

    def organisation(self, i: int) -> str:
        """Write organisation *i* (a collective agent is marked and sent to a conference); return its name."""
        rng = self.rng
        t = rng.choices(range(len(ORG_TYPES)), self.type_weights)[0]
        cls, word, _, can_fac, can_fund = ORG_TYPES[t]
        self.south[i] = 1 if rng.random() < 0.47 else 0
        place = self.place(self.south[i])
        name = f"{rng.choice(WORDS)} {word} {i}"
        props = [("a", cls), ("skos:prefLabel", f'"{name}"@en')]
        if rng.random() < 0.4:
            props.append(("skos:prefLabel", f'"{word} {rng.choice(WORDS)} {i}"@fr'))
        parent = self.earlier_organisation(i) if t == UNIT else -1
        if parent >= 0:
            props.append(("org:unitOf", org(parent)))
            self.south[i] = self.south[parent]
        elif rng.random() < 0.98:
            props.append(("schema:location", place))
        if t == PROGRAMME and i > 2:
            members = {m for m in (self.earlier_organisation(i) for _ in range(rng.randint(2, 3))) if m >= 0}
            if members:
                props.append(("org:hasMember", " , ".join(org(m) for m in sorted(members))))
        if rng.random() < 0.3:
            props.append(("schema:foundingDate", f'"{rng.randint(1960, 2020)}"^^xsd:gYear'))
        props.append(("ced:topic", rng.choice(THEMES)))
        props.append(("ced:evidence", evidence(f"{name} is one of the organisations the source describes.")))
        self.w.block(org(i), props)
        self.counts["organisations"] += 1
        if t == COLLECTIVE:  # a group named only collectively: it attends conferences, nothing more
            self.collective[i] = 1
            if rng.random() < 0.5:
                self.conf_attendees[int(self.n_conf * rng.random())].append(i)
        else:
            if can_fac and (not self.south[i] or rng.random() < 0.3):
                self.fac_urn.append(i)
            if can_fund and not self.south[i]:
                self.fund_urn.append(i)
        return name

    def people(self, i: int, name: str) -> None:
        """Now and then a person heading organisation *i* (with a membership), or a member."""
        rng, w = self.rng, self.w
        if rng.random() < 0.35:
            p = self.head[i] = self.new_person()
            pname = f"{rng.choice(FIRST)} {rng.choice(LAST)} {p}"
            w.block(person(p), [("a", "foaf:Person"), ("skos:prefLabel", f'"{pname}"@en'), ("org:headOf", org(i)),
                                ("ced:evidence", evidence(f"{pname} heads {name}."))])
            if rng.random() < 0.5:
                w.block(f"cedmem:bench-membership-{p}", [
                    ("a", "org:Membership"), ("org:member", person(p)), ("org:organization", org(i)),
                    ("org:role", "cedrole:president"), ("ced:asOf", f'"{rng.randint(2000, 2024)}"^^xsd:gYear'),
                    ("ced:evidence", evidence(f"{pname} is president of {name}."))])
        if rng.random() < 0.1:
            p = self.member[i] = self.new_person()
            pname = f"{rng.choice(FIRST)} {rng.choice(LAST)} {p}"
            w.block(person(p), [("a", "foaf:Person"), ("skos:prefLabel", f'"{pname}"@en'), ("org:memberOf", org(i)),
                                ("ced:evidence", evidence(f"{pname} is a member of {name}."))])

    def partnerships(self, i: int) -> None:
        """The partnerships organisation *i* forms with earlier ones, with their events and flows."""
        r = self.rng.random()
        n_part = 0 if r < 0.25 else 1 if r < 0.75 else 2 if r < 0.93 else 3
        self.urn[self.south[i]].append(i)  # every organisation enters its urn once
        if i < 2:
            return
        for _ in range(n_part):
            partners = self.partners(i)
            if partners:
                pid, year, facilitator = self.partnership(partners)
                events = self.events(pid, partners, facilitator, year)
                self.flows(pid, partners, events, year)

    def partners(self, i: int) -> list[int]:
        """*i* and one or two earlier organisations (70% across the North/South line), or []."""
        rng = self.rng
        other = self.south[i] ^ (1 if rng.random() < 0.7 else 0)
        b = self.pick(other, {i})
        if b < 0:
            return []
        partners = [i, b]
        if rng.random() < 0.2:
            c = self.pick(rng.randint(0, 1), set(partners))
            if c >= 0:
                partners.append(c)
        for o in partners:
            self.urn[self.south[o]].append(o)
        return partners

    def partnership(self, partners: list[int]) -> tuple[int, int, int]:
        """Write a partnership (maybe facilitated and funded); return its id, year and facilitator (or -1)."""
        rng = self.rng
        pid = self.counts["partnerships"]
        self.counts["partnerships"] += 1
        year = rng.randint(1995, 2022)
        pname = f"Partnership {pid}: " + " – ".join(f"Org {o}" for o in partners)
        props = [("a", "ced:Partnership"), ("skos:prefLabel", f'"{pname}"@en'),
                 ("ced:partner", " , ".join(org(o) for o in partners))]
        facilitator = self.role(self.fac_urn, 0.5, partners)
        if facilitator >= 0:
            props.append(("ced:facilitator", org(facilitator)))
        funder = self.role(self.fund_urn, 0.35, partners)
        if funder >= 0:
            props.append(("ced:funder", org(funder)))
        props.append(("schema:startDate", f'"{year}-{rng.randint(1, 12):02d}"^^xsd:gYearMonth'))
        props.append(("ced:evidence", evidence(f"{pname} was formed in {year}.")))
        self.w.block(f"cedpart:bench-partnership-{pid}", props)
        return pid, year, facilitator

    def role(self, urn: array, chance: float, partners: list[int]) -> int:
        """With *chance*, a facilitator or funder drawn from *urn* (not a partner), or -1."""
        if not (urn and self.rng.random() < chance):
            return -1
        o = urn[int(self.rng.random() * len(urn))]
        if o in partners:
            return -1
        urn.append(o)
        return o

    def events(self, pid: int, partners: list[int], facilitator: int, year: int) -> list[int]:
        """Write the partnership's meetings (30% have one or two); return their ids."""
        rng = self.rng
        events: list[int] = []
        if rng.random() >= 0.3:
            return events
        for _ in range(1 if rng.random() < 0.7 else 2):
            eid = self.counts["events"]
            self.counts["events"] += 1
            events.append(eid)
            host = rng.choice(partners)
            attendees = {self.agent(o) for o in partners}
            if facilitator >= 0:
                attendees.add(org(facilitator))
            for _ in range(rng.randint(0, 2)):
                x = self.pick(rng.randint(0, 1), set())
                if x >= 0:
                    attendees.add(org(x))
            ey = rng.randint(year, year + 4)
            self.w.block(f"cedevt:bench-event-{eid}", [
                ("a", rng.choice(EVENT_TYPES)), ("skos:prefLabel", f'"Partnership meeting {eid}"@en'),
                ("schema:startDate", f'"{ey}-{rng.randint(1, 12):02d}"^^xsd:gYearMonth'),
                ("schema:location", self.place(self.south[host])),
                ("schema:attendee", " , ".join(sorted(attendees))),
                ("ced:inPartnership", f"cedpart:bench-partnership-{pid}"),
                ("ced:evidence", evidence(f"The partners met at partnership meeting {eid} in {ey}."))])
        return events

    def flows(self, pid: int, partners: list[int], events: list[int], year: int) -> None:
        """The flows between each pair of partners: 1-12, both ways or (mostly North -> South) one way."""
        rng = self.rng
        for x in range(len(partners)):
            for y in range(x + 1, len(partners)):
                a, b = partners[x], partners[y]
                n = 1
                while rng.random() < 0.6 and n < 12:
                    n += 1
                two_way = n > 1 and rng.random() < 0.65
                if not two_way and self.south[a] != self.south[b] and rng.random() < 0.6 and self.south[a]:
                    a, b = b, a
                for k in range(n):
                    if two_way:
                        s, d = (a, b) if k == 0 else (b, a) if k == 1 else (a, b) if rng.random() < 0.5 else (b, a)
                    else:
                        s, d = a, b
                    self.flow(pid, s, d, events, year)

    def flow(self, pid: int, s: int, d: int, events: list[int], year: int) -> None:
        """One flow from *s* to *d* (or the person heading or belonging to either), dated or at an event."""
        rng = self.rng
        fid = self.counts["flows"]
        self.counts["flows"] += 1
        kind = rng.choice(RESOURCE_KINDS) if rng.random() < 0.2 else rng.choice(KNOWLEDGE_KINDS)
        props = [("a", "ced:KnowledgeFlow"), ("skos:prefLabel", f'"Org {s} shares {kind} with org {d}"@en'),
                 ("ced:source", self.agent(s)), ("ced:target", self.agent(d)), ("ced:kind", f"cedkind:{kind}"),
                 ("ced:status", "cedstatus:planned" if rng.random() < 0.15 else "cedstatus:occurred"),
                 ("ced:inPartnership", f"cedpart:bench-partnership-{pid}")]
        r = rng.random()
        if events and r < 0.25:
            props.append(("ced:atEvent", f"cedevt:bench-event-{rng.choice(events)}"))
        elif r < 0.75:
            props.append(("schema:startDate", f'"{rng.randint(year, year + 6)}"^^xsd:gYear'))
        if rng.random() < 0.3:
            props.append(("ced:topic", rng.choice(THEMES)))
        props.append(("ced:evidence", evidence(f"Org {s} and org {d} exchanged {kind}.")))
        self.w.block(f"cedflow:bench-flow-{fid}", props)

    def conferences(self) -> None:
        """The big conferences, each attended by many organisations."""
        for c, attendees in enumerate(self.conf_attendees):
            if len(attendees) < 2:
                continue
            self.counts["conferences"] += 1
            places = self.south_places[0] if c % 2 else self.north_places[0]
            self.w.block(f"cedevt:bench-conference-{c}", [
                ("a", "ced:Conference"), ("skos:prefLabel", f'"International social economy forum {c}"@en'),
                ("schema:startDate", f'"{2000 + c % 25}"^^xsd:gYear'), ("schema:location", self.rng.choice(places)),
                ("schema:attendee", " , ".join(org(o) for o in attendees)),
                ("ced:evidence", evidence(f"{len(attendees)} organisations took part in forum {c}."))])


def orgs_for_triples(triples: int) -> int:
    """The number of organisations that gives about *triples* triples."""
    return max(10, round(triples / TRIPLES_PER_ORG))


def main(argv: list[str] | None = None) -> int:
    """The command line: write the graph, print its counts on stderr."""
    ap = argparse.ArgumentParser(
        description="Write a synthetic kgraph partnership graph (Turtle), streaming.",
        epilog="Example: python bench/generate.py --triples 1000000 --out bench/out/g-1M.ttl")
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--triples", type=int,
                      help=f"approximate number of triples (≈{TRIPLES_PER_ORG:.0f} per organisation)")
    size.add_argument("--orgs", type=int, help="number of organisations")
    ap.add_argument("--out", required=True, help="Turtle file to write ('-' for stdout)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1); same seed, same file")
    args = ap.parse_args(argv)
    n = args.orgs if args.orgs is not None else orgs_for_triples(args.triples)
    if n < 3:
        ap.error("need at least 3 organisations")
    t0 = time.perf_counter()
    if args.out == "-":
        counts = generate(sys.stdout, n, args.seed)
    else:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as f:
            counts = generate(f, n, args.seed)
        tmp.replace(out)
    dt = time.perf_counter() - t0
    print(" ".join(f"{k}={v}" for k, v in counts.items()) + f" seconds={dt:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
