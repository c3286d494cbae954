"""The citynet ontology's terms, generated from ontology/citynet.ttl: do not edit.

Regenerate with ``python scripts/generate_namespace.py``; ``tests/test_namespaces.py`` fails when
this module and the ontology differ. A term the ontology does not declare fails at import:

>>> str(CN.Membership)
'https://w3id.org/citynet/ontology#Membership'
>>> CN.Netwrk
Traceback (most recent call last):
AttributeError: term 'Netwrk' not in namespace 'https://w3id.org/citynet/ontology#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace


class CN(DefinedNamespace):
    """The citynet ontology, closed: its classes and properties, each with its English label."""

    _NS = Namespace("https://w3id.org/citynet/ontology#")
    _fail = True

    # classes
    Call: URIRef  # call
    City: URIRef  # city
    CoFinancing: URIRef  # co-financing
    Country: URIRef  # country
    DeclaredPartners: URIRef  # declared partners
    Membership: URIRef  # membership
    Network: URIRef  # network
    Organisation: URIRef  # organisation
    Period: URIRef  # period
    Phase: URIRef  # phase
    Programme: URIRef  # programme
    Source: URIRef  # source

    # object properties
    activeDuring: URIRef  # active during
    amount: URIRef  # amount
    budget: URIRef  # budget
    call: URIRef  # call
    coFinancing: URIRef  # co-financing
    continues: URIRef  # continues
    country: URIRef  # country
    declaredPartners: URIRef  # declared partners
    euFunding: URIRef  # EU funding
    fund: URIRef  # fund
    locatedIn: URIRef  # located in
    member: URIRef  # member
    memberDuring: URIRef  # member during
    network: URIRef  # network
    networkType: URIRef  # network type
    nutsRegion: URIRef  # NUTS region
    organisationType: URIRef  # organisation type
    partnerBudget: URIRef  # partner budget
    phase: URIRef  # phase
    programme: URIRef  # programme
    role: URIRef  # role
    strand: URIRef  # strand
    theme: URIRef  # theme
    url: URIRef  # URL
    website: URIRef  # website

    # datatype properties
    acronym: URIRef  # acronym
    announcedEvent: URIRef  # announced event
    appliedOn: URIRef  # applied on
    approvedOn: URIRef  # approved on
    countryCode: URIRef  # country code
    declaredCountryCount: URIRef  # declared country count
    declaredNetworkCount: URIRef  # declared network count
    declaredOrganisationCount: URIRef  # declared organisation count
    declaredPartnerCount: URIRef  # declared partner count
    duration: URIRef  # duration
    end: URIRef  # end
    expectedResult: URIRef  # expected result
    geonamesId: URIRef  # GeoNames id
    legalStatus: URIRef  # legal status
    newcomerShare: URIRef  # newcomer share
    objective: URIRef  # objective
    partnerCount: URIRef  # partner count
    phaseOrder: URIRef  # phase order
    population: URIRef  # population
    populationDate: URIRef  # population date
    projectCategory: URIRef  # project category
    rate: URIRef  # rate
    rateIsMaximum: URIRef  # rate is maximum
    seedFile: URIRef  # seed file
    sourceRecord: URIRef  # source record
    start: URIRef  # start
    status: URIRef  # status
    town: URIRef  # town
