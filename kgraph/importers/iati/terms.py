"""The IRIs and IATI codes the IATI importer writes with: namespaces, role and relation
properties, organisation classes, and which transaction types are incoming or planned."""

from __future__ import annotations

import re

from rdflib import Namespace

from kgraph.errors import RowProblem
from kgraph.namespaces import PREFIXES

CED, RDF, SKOS, DCTERMS, PROV, SCHEMA, XSD, ORG = (
    Namespace(PREFIXES[p]) for p in ("ced", "rdf", "skos", "dcterms", "prov", "schema", "xsd", "org"))
ACTIVITY, ORGANISATION, FLOW, SOURCE = (Namespace(PREFIXES[p]) for p in ("iatiact", "cedorg", "cedflow", "cedsrc"))
STATUS, SECTOR, TX, SDG = (Namespace(PREFIXES[p]) for p in ("iatistatus", "iatisector", "iatitx", "sdg"))
KIND, FLOW_STATUS = Namespace(PREFIXES["cedkind"]), Namespace(PREFIXES["cedstatus"])
#: aid-type | flow-type | finance-type -> (property, namespace of the bundled SKOS scheme's concepts)
TYPE_TERMS = {"aid-type": (CED.aidType, Namespace(PREFIXES["iatiaid"])),
              "flow-type": (CED.flowType, Namespace(PREFIXES["iatiflow"])),
              "finance-type": (CED.financeType, Namespace(PREFIXES["iatifinance"]))}

VERSIONS = ("2.01", "2.02", "2.03")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: IATI OrganisationRole code -> the ced: property linking an activity to the organisation.
ROLE_PROPERTIES = {"1": CED.funder, "2": CED.accountableOrganisation, "3": CED.extendingOrganisation,
                   "4": CED.partner}
#: IATI RelatedActivityType code -> the ced: subproperty of ced:relatedActivity.
RELATED_PROPERTIES = {"1": CED.parentActivity, "2": CED.childActivity, "3": CED.siblingActivity,
                      "4": CED.coFundedActivity, "5": CED.thirdPartyActivity}
#: IATI OrganisationType code -> class of a minted organisation (else org:Organization).
ORGANISATION_CLASSES = {"10": CED.GovernmentDepartment, "11": CED.GovernmentDepartment,
                        "21": CED.NGO, "22": CED.NGO, "23": CED.NGO, "24": CED.NGO,
                        "80": CED.ResearchOrganisation}
#: Transaction types where money comes *to* the reporting organisation (incoming funds,
#: commitments and pledges, interest, loan repayments, sale of equity): a missing receiver
#: is the reporting organisation. For all others a missing provider is.
INCOMING_TYPES = frozenset({"1", "5", "6", "9", "11", "13"})
#: Commitments and pledges promise money; every other transaction reports money moved.
PLANNED_TYPES = frozenset({"2", "11", "12", "13"})
#: (element, vocabulary) pairs whose codes are SDG goals or targets.
SDG_VOCABULARIES = frozenset({("sector", "7"), ("sector", "8"), ("tag", "2"), ("tag", "3")})

LANG_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_QUOTE = 600


class Rejected(Exception):
    """A file that cannot be read at all; carries the one problem to report."""

    def __init__(self, problem: RowProblem):
        super().__init__(str(problem))
        self.problem = problem

