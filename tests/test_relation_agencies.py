"""Which agency a relation names: agencies the lexicon knows by name or by kind, abroad and at home, their
staff, names completed by the words around a cue ("the Harlan County Sheriff"), coordinated agencies, and
agency words that name a kind of thing instead."""

import pytest

from tests.relation_tools import keys, relations


@pytest.mark.parametrize(("text", "agency"), [
    # by abbreviation, by bureau, or by their staff
    ("The Corliss PD signed a renewal of its Cellebrite licences.", "Corliss PD"),
    ("The Ohio Bureau of Criminal Investigation began an evaluation of Idemia's matcher.",
     "Ohio Bureau of Criminal Investigation"),
    ("Troopers with the Nebraska State Patrol ran the photo through Clearview AI.", "Nebraska State Patrol"),
    ("The U.S. Postal Inspection Service ran Clearview AI searches as part of a monitoring program.",
     "U.S. Postal Inspection Service"),
    ("The Carver State Fusion Center renewed its Babel Street subscription in 2021.", "Carver State Fusion Center"),
    # forces abroad known by their own names, stored under the lexicon's id where it has one
    ("Brazil's Policia Federal signed a contract with Idemia in 2021.", "Brazil's Policia Federal"),
    ("The RCMP used Clearview AI for several months in 2019.", "Royal Canadian Mounted Police"),
    ("Lisbon's Policia de Seguranca Publica ended a trial of Genetec video analytics in March.",
     "Lisbon's Policia de Seguranca Publica"),
    ("The Mounties ran searches on Clearview AI for several months in 2020.", "Royal Canadian Mounted Police"),
    ("Gardaí signed a contract with NEC for NeoFace.", "An Garda Síochána"),
    # agencies at home the lexicon's cues name
    ("The Bureau of Alcohol, Tobacco, Firearms and Explosives renewed its Cellebrite licences in May.",
     "Bureau of Alcohol, Tobacco, Firearms and Explosives"),
    ("The Oklahoma Department of Criminal Justice has relied on DataWorks Plus since 2015.",
     "Oklahoma Department of Criminal Justice"),
    ("Analysts at the Lakeport Real Time Crime Center query Fusus dozens of times a day.",
     "Lakeport Real Time Crime Center"),
    # an agency word keeps the words of its name around it
    ("Clearview AI sold licences to the Harlan County Sheriff last year.", "Harlan County Sheriff"),
    ("In March the Merrow Constabulary began using NEC NeoFace.", "Merrow Constabulary"),
    ("Amazon sold Rekognition to police in Orlando.", "police"),
    ("Records showed Amazon selling Rekognition to a sheriff's office in Oregon.", "sheriff's office"),
    ("Idemia supplied the police department with its face-matching software.", "police department"),
    ("Veritone received a purchase order from the Texas Department of Public Safety.",
     "Texas Department of Public Safety"),
    ("Clearview AI sold licences to the national police of Colombia.", "national police"),
])
def test_the_agency_a_relation_names(text, agency):
    assert {r.agency for r in relations(text)} == {agency}


def test_staff_and_their_agency_named_before_are_one_agency_for_the_next_sentence():
    found = relations("Troopers with the Nebraska State Patrol ran the photo through Clearview AI. The agency has "
                      "licensed the software since 2021.")
    assert {(r.action, r.agency) for r in found} == {("uses", "Nebraska State Patrol"),
                                                    ("sells", "Nebraska State Patrol")}


def test_an_agency_that_is_not_law_enforcement_relates_nothing():
    assert relations("NIST tested Amazon Rekognition and 188 other algorithms for demographic differences.") == []


def test_a_title_case_headline_names_the_agency_not_the_whole_headline():
    found = relations("IBM, Microsoft And Amazon Not Letting Police Use Their Facial Recognition Technology")
    assert {r.agency for r in found} == {"Police"}
    assert {(r.action, r.vendor) for r in found} == {("halts", "IBM"), ("halts", "Microsoft"), ("halts", "Amazon")}


@pytest.mark.parametrize("agency", ["public security bureaus", "the state Bureau of Investigation",
                                    "the Department of Public Safety", "the gendarmerie", "the federal police"])
def test_agencies_the_lexicon_knows_by_their_kind(agency):
    assert keys(f"Our company sold Cognitec's matching software to {agency} last year.") != set()


def test_coordinated_agencies_get_one_relation_each():
    found = relations("Clearview AI has sold subscriptions to the FBI and to Customs and Border Protection.")
    assert {(r.action, r.agency) for r in found} == {
        ("sells", "Federal Bureau of Investigation"), ("sells", "U.S. Customs and Border Protection")}


def test_an_agency_word_before_software_is_a_kind_of_thing():
    assert relations("Axon acquired Fusus, a maker of real-time crime center software.") == []
