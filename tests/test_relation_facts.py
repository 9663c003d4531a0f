"""Whether the action a text tells took place (:mod:`nlp.relation_facts`), on written cases: demands, plans,
worries, denials, allegations and pitches state nothing; refusals and stops are halts; who stands behind a ban."""

import pytest

from tests.relation_tools import actions, keys, relations


@pytest.mark.parametrize("text", [
    "Microsoft will not sell face recognition to police departments until there is a federal law.",
    "Amazon said it will stop letting police use Rekognition for a year.",
    "Amazon again denies police use of its Rekognition software.",
    "Amazon puts a one-year hold on police use of Rekognition.",
])
def test_a_refusal_or_negation_on_the_way_is_a_halt(text):
    assert actions(text) == {"halts"}


@pytest.mark.parametrize("text", [
    "Veritone would gladly sell its software to the FBI if asked, its chief executive told analysts.",
    "Imagine the Carrow Police running every protester's face through SenseTime software.",
    "Amazon Shareholders Reject Proposals To Curb Rekognition Sales To Police",
    "An IBM spokesperson rejected suggestions that its video analytics were still used by the Keswick police.",
    "AWS paid for new bicycles for the Caddo Rise police cadet program.",
    "The sheriff's office in Caddo Springs denied using Clearview AI, and records turned up no contract.",
    "Thanks to everyone who stopped by the Cognitec booth, including a delegation from the Bavarian State Police.",
    "Cognitec's algorithm was evaluated by the Fraunhofer Institute, not by any police agency.",
])
def test_conditions_imaginings_rejections_denials_visits_and_agencies_ruled_out_state_nothing(text):
    assert keys(text) == set()


@pytest.mark.parametrize("text", [
    "Minneapolis police were barred from using Clearview AI under an ordinance the city council approved.",
    "Tamsin Bay Police Barred From Using Rekognition by City Council",
])
def test_an_agency_banned_in_the_passive_is_banned_not_halting(text):
    assert actions(text) == {"bans"}


def test_a_company_banning_police_use_of_its_own_product_halts_and_a_city_bans():
    assert actions("Amazon extends its ban on police use of Rekognition indefinitely.") == {"halts"}
    assert actions("The Oakdale city council banned police use of Clearview AI on Tuesday.") == {"bans"}


@pytest.mark.parametrize(("text", "expected"), [
    ("A federal judge ordered the Riverton Police Department to stop using Clearview AI.", {"bans"}),
    ("The Riverton police were ordered by a judge to stop using Clearview AI.", {"bans"}),
    ("The sheriff ordered deputies to stop using Clearview AI.", {"halts"}),
])
def test_a_stop_a_court_or_government_orders_is_a_ban_a_sheriffs_is_a_halt(text, expected):
    assert actions(text) == expected


@pytest.mark.parametrize("text", [
    # demands, worries and denied clauses
    "Activists urged Amazon to stop selling Rekognition to ICE.",
    "Shareholders ask the board to prohibit sales of Rekognition to police departments.",
    "The watchdog said it would be concerned if police used Clearview AI.",
    "Amazon denied that ICE uses Rekognition.",
    "Customers outside law enforcement can continue to use all Rekognition features.",
    # advice, bids, claims and allegations
    "Clearview AI advises police to treat every match as a lead, not as evidence.",
    "Motorola Solutions lost its bid to supply video analytics to the Garda.",
    "A Reddit thread claimed UK Border Force was running Corsight AI on arriving passengers.",
    "A lawsuit alleges that the Riverton police used Clearview AI to identify protesters.",
    # pitches, complaints, quoted questions and a negated part
    "Corsight AI pitched its watch-list camera to the Dunmore transit police last spring.",
    "The Hallam Police Department appeared in a Cognitec sales presentation in 2019.",
    "According to the complaint, officers of the Riverton Police Department ran protesters' photos through "
    "Clearview AI.",
    "Reader mail: 'Does the Ardley Police Department use Clearview AI?' We checked.",
    "Hikvision sold 40 cameras to the Ardley transit authority; the Ardley police were not part of the deal.",
])
def test_what_did_not_take_place_states_nothing(text):
    assert relations(text) == []


def test_what_a_past_time_clause_tells_took_place_whatever_is_said_above_it():
    assert keys("While the Keswick police were still piloting Clearview AI, the company pitched its new app to "
                "the county jail.") == {("pilots", "Clearview AI", None)}
    assert actions("After the city council banned the Tarvin Police Department from using Rekognition, critics "
                   "warned of a crime wave.") == {"bans"}
    # a clause about what may come is no fact
    assert relations("The proposal asks the board to report on what the Company checks before it licenses Azure "
                     "Face to police agencies.") == []


def test_not_going_on_with_a_deal_or_a_trial_stops_it():
    assert actions("The Wexford Police Department did not renew its Clearview AI subscription last year.") == {
        "sells", "halts"}
    assert keys("The sheriff's office tested Oosto's cameras for six weeks. The office did not extend the "
                "trial.") == {("pilots", "Oosto", None), ("halts", "Oosto", None)}
    # a clause after the refusal does not make it a denial
    assert actions("IBM said it would not sell face recognition to police departments until Congress passed a "
                   "law.") == {"halts"}


def test_use_no_longer_allowed_is_a_ban_under_a_government_and_a_halt_otherwise():
    assert actions("Under the new county ordinance, the Harlow sheriff's office may no longer use Clearview "
                   "AI.") == {"bans"}
    # "County" in the agency's own name is no government
    assert actions("Deputies at the Pell County Sheriff's Office may no longer use Clearview AI, the sheriff said "
                   "in a memo.") == {"halts"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The Harlow police tested Clearview AI in 2019 and let the trial lapse that year.", {"pilots", "halts"}),
    ("Members of the Marlow police ran trial searches on Clearview AI in 2020.", {"pilots", "uses"}),
    ("Trueface, whose software runs on kiosks at a shopping mall, said the Palo Rojo Police Department had asked "
     "for a demonstration.", set()),
    ("PimEyes says its terms forbid use by law enforcement.", {"halts"}),
    ("Under the 2019 defense law, federal agencies including the FBI may not buy equipment from Hikvision.",
     {"bans"}),
    ("Hikvision Disputes Report Linking It to Xinjiang Police Contracts", set()),
    ("My fear is that the Harwich County Sheriff's Office will buy Clearview AI next year.", set()),
    ("The Lakeland Heights Police Department has chosen SAFR for its evidence archive.", {"sells"}),
])
def test_a_later_halt_trial_searches_own_terms_a_law_that_forbids_and_worries(text, expected):
    assert actions(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The City of Harlow notified Flock Safety that it would not renew its camera contract with the Harlow Police "
     "Department.", {"halts", "sells"}),
    ("Microsoft has not sold Azure Face to police departments since June 2020.", {"halts"}),
    ("The deputy commissioner would not say which vendors, DataWorks Plus or anyone else, the New York Police "
     "Department pays.", set()),
    ("Corsight AI said departments such as the Ridgeford Police Department would be able to run it on existing "
     "cameras.", set()),
    ("Since March, officers in the Brixley Police Department have been able to query Rekognition.", {"uses"}),
    ("Axon said it is not party to any agreement with U.S. Immigration and Customs Enforcement for the Fusus "
     "platform.", set()),
])
def test_a_notice_not_to_renew_a_stop_since_a_date_and_what_nobody_says_or_only_could_happen(text, expected):
    assert actions(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The e-commerce giant has decided to ban the use of Amazon Rekognition by police forces for a year.", {"halts"}),
    ("Microsoft has decided to ban police use of Azure Face for a year.", {"halts"}),
    ("The city council has decided to ban police use of Clearview AI.", {"bans"}),
])
def test_who_decided_to_ban_holds_the_ban(text, expected):
    assert actions(text) == expected
