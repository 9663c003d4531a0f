"""Relations (vendor or product, agency, action) read from parsed sentences: who acts and what action a text's
words tell, on written cases. Whether it took place is :mod:`tests.test_relation_facts`, which agency
:mod:`tests.test_relation_agencies`; the gold sets' precision and recall :mod:`tests.test_relation_gold_sets`."""

import pytest

from tests.relation_tools import actions, keys, relations


def test_each_vendor_named_gets_its_own_relation():
    found = keys("IBM, Microsoft and Amazon stopped selling facial recognition software to police departments.")
    assert found == {("halts", "IBM", None), ("halts", "Microsoft", None), ("halts", "Amazon", None)}


def test_vendors_the_news_names_beyond_the_big_five_are_known():
    found = keys("The Detroit Police Department ran the probe photo through software from Rank One Computing, "
                 "and the Oakdale Police Department signed a contract with BriefCam.")
    assert ("uses", "Rank One Computing", None) in found and ("sells", "BriefCam", None) in found


def test_a_product_brings_its_vendor():
    found = relations("The Washington County Sheriff's Office signed a contract to license Amazon Rekognition.")
    assert [(r.action, r.vendor, r.product, r.agency) for r in found] == [
        ("sells", "Amazon", "Amazon Rekognition", "Washington County Sheriff's Office")]


@pytest.mark.parametrize("text", [
    "The Orlando Police Department ended its pilot of Amazon Rekognition.",
    "A six-month Clearview trial at the Dunmore Police Department was quietly ended in May.",
    "Harlow County Sheriff's Office Ends Clearview Trial",
])
def test_a_pilot_that_was_ended_took_place(text):
    assert actions(text) == {"pilots", "halts"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The Tamberlin Police ran a six-month pilot of Clearview, then quietly dropped it.", {"pilots", "halts"}),
    ("A 90-day trial of BriefCam's tool was run by the Corrowick Police Department last spring.", {"pilots"}),
    ("After a pilot last fall, the Kellerton Police Department bought twelve Flock Safety cameras.",
     {"pilots", "sells"}),
])
def test_a_pilot_named_by_a_noun_is_a_pilot(text, expected):
    assert actions(text) == expected


def test_a_thing_sold_is_not_a_use_and_a_payment_is_a_sale():
    assert actions("Motorola Solutions now offers face search to thousands of police agencies.") == {"sells"}
    assert actions("The Yunmo public security bureau paid Hikvision for 900 cameras last year.") == {"sells"}


def test_it_after_the_one_product_named_stands_for_it():
    text = "Rekognition was tested by the Washington County Sheriff's Office before deputies began using it daily."
    assert actions(text) == {"pilots", "uses"}


def test_a_ban_or_halt_in_a_headline_governs_what_follows_it():
    assert actions("Council Bans Tamsin Harbor Police From Using Clearview") == {"bans"}
    # a contract dropped was held: a sale, then its end (as an ended pilot is a pilot and a halt)
    assert actions("Ashby Vale Sheriff's Office Drops Palantir Contract After Budget Review") == {"halts", "sells"}


def test_what_an_action_acts_on_says_whose_it_is():
    text = "The Kellerton Police Department renewed its Cellebrite licences but stopped using Voyager Labs in June."
    assert {(a, v) for a, v, _ in keys(text)} == {("sells", "Cellebrite"), ("halts", "Voyager Labs")}


@pytest.mark.parametrize(("text", "expected"), [
    ("The Delmar Heights Police Department signed with Flock Safety in May.", {"sells"}),
    ("Finland's National Bureau of Investigation said some officers had tried Clearview AI without approval.",
     {"pilots"}),
    ("The Lakeshore Police Department evaluated SAFR for six weeks last spring.", {"pilots"}),
    ("The Merrow Constabulary ordered six more camera vans from NEC.", {"sells"}),
    ("The Vasterby Police Authority has selected the Corsight AI platform for its 14 stations.", {"sells"}),
    ("RealNetworks supplied the Brannock County Jail with SAFR, and guards began scanning visitors with the "
     "system in February.", {"sells", "uses"}),
])
def test_more_ways_to_tell_an_action(text, expected):
    assert actions(text) == expected


def test_a_description_in_the_next_sentence_stands_for_the_one_name_before_it():
    text = ("The Tulsa Police Department bought 40 Flock Safety cameras last spring. Officers have since used the "
            "system to find stolen cars.")
    assert {(a, v) for a, v, _ in keys(text)} == {("sells", "Flock Safety"), ("uses", "Flock Safety")}
    used = next(r for r in relations(text) if r.action == "uses")
    assert used.sentence == text, "the sentence that names the vendor goes with the one that says what was done"
    # what the first sentence stated is not stated again with the second
    twice = ("Amazon put a one-year moratorium on police use of Rekognition. Police departments will not be able "
             "to use it during that year.")
    assert [r.sentence for r in relations(twice)] == [twice.split(". ")[0] + "."]
    both = ("Voyager Labs signed a trial agreement with the Los Angeles Police Department in 2019. A year later "
            "the department ended the trial and the company left the city.")
    assert ("halts", "Voyager Labs", None) in keys(both)
    # Two vendors before: "the company" could be either, so it is neither.
    assert keys("IBM and NEC both bid for the work. The company later won a contract with the Kessock Police "
                "Department.") == set()


def test_it_acted_on_in_the_next_sentence_is_the_one_name_before_and_staff_are_the_agency_named():
    found = relations("NEC sold NeoFace to the Dorset constabulary in 2019. Officers have used it more than 4,000 "
                      "times.")
    assert {(r.action, r.product, r.agency) for r in found} == {
        ("sells", "NEC NeoFace", "Dorset constabulary"), ("uses", "NEC NeoFace", "Dorset constabulary")}
    # "it" as a subject is more often the agency than the thing before: not read.
    assert relations("Clearview AI drew criticism from lawmakers. The Lakeview police said it would stop using "
                     "facial recognition.") == []


def test_a_halt_does_not_govern_the_verb_coordinated_with_it():
    found = keys("The Marlow police stopped using Clearview AI but will keep using Rekognition for now.")
    assert found == {("halts", "Clearview AI", None), ("uses", "Amazon", "Amazon Rekognition")}
    assert keys("The Orlando police tested Amazon Rekognition for a year and then stopped using it.") == {
        ("pilots", "Amazon", "Amazon Rekognition"), ("halts", "Amazon", "Amazon Rekognition")}


def test_a_passive_use_with_no_doer_is_not_an_agency_in_another_clauses():
    # The demo's moratorium story: police are the subject of a recommendation, not of the use.
    assert relations("The company said it recommends police use a threshold of at least 95 percent, and it noted "
                     "that Rekognition was used to find lost children.") == []
    assert keys("Detroit police said the DataWorks Plus software was used in more than 500 investigations.") == {
        ("uses", "DataWorks Plus", None)}


def test_going_live_is_a_use_and_face_matching_in_a_headline_is_a_technology():
    assert keys("Fusus said the Orrin Falls Police Department went live with its camera platform in May.") == {
        ("uses", "Fusus", None)}
    assert actions("Border Force Trials Oosto Face Matching At Harwich Port") == {"pilots"}


def test_a_move_from_one_vendor_to_another_and_a_switch_the_vendor_announced():
    assert keys("The Hadley Police Department moved from Cognitec to Idemia's matcher in 2022.") == {
        ("halts", "Cognitec", None), ("uses", "Idemia", None)}
    # the vendor announcing what the system it sold replaces left nothing
    assert actions("DataWorks Plus said the Ferris County Sheriff's Office selected its platform to replace a "
                   "legacy mugshot system.") == {"sells"}
    # a relative clause under the switch tells its own use
    assert keys("The Calder Sheriff's Office runs searches on a Paravision engine. It replaced a Cognitec matcher "
                "the office had used since 2015.") >= {("uses", "Cognitec", None), ("uses", "Paravision", None)}


def test_a_free_trial_account_is_a_pilot_and_a_proof_of_concept_too():
    assert actions("Detectives in the Brennan Police Department searched Clearview AI on a free trial account "
                   "in 2019.") == {"pilots", "uses"}
    assert actions("The Lindale Police Department is 60 days into a proof of concept of Fusus.") == {"pilots"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The Bellamy Police Department pulled the plug on its Rekognition pilot in March.", {"pilots", "halts"}),
    ("The Carrow Police Department's Voyager Labs subscription ran out on June 30.", {"sells", "halts"}),
    ("Hikvision cameras at the Pell County Jail were taken down in February.", {"halts"}),
    ("Pell County Jail Rips Out Hikvision Cameras Ahead Of Federal Deadline", {"halts"}),
])
def test_idioms_of_stopping(text, expected):
    assert actions(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("According to purchase orders, the Kenton County Sheriff's Office spent $86,000 on a DataWorks Plus module "
     "in 2019.", {"sells"}),
    ("Genetec won a $2.3 million contract to upgrade video systems for the Harbourview Police Service.", {"sells"}),
    ("Genetec won an award for its work with the Harbourview Police Service.", set()),
    ("Clearview AI offered the Dunmore Police Department a free 30-day trial last autumn.", set()),
    ("The Garrow Police Department told RealNetworks it will not renew its SAFR license when the term ends.",
     {"sells", "halts"}),
    ("Cognitec said its FaceVACS software has been installed at the forensic unit of the Vennmark State Police.",
     {"uses"}),
    ("Cognitec said its software was installed by a supermarket chain in Bramhope, and that no images are passed "
     "to the police.", set()),
    ("The Harbourview Police Service has since switched on Genetec's face-matching add-on.", {"uses"}),
    ("The Harbourview Police Service switched off its Genetec cameras in May.", {"halts"}),
    ("The Board recommends a vote against the proposal because the Company already prohibits police departments "
     "from using Face API.", {"halts"}),
    ("Shareholders request a report on Palantir's work for U.S. Immigration and Customs Enforcement, whose "
     "contract the Company renewed in 2022.", {"sells"}),
    ("Clearview Denies Selling to Ravenwood Sheriff as Emails Surface", set()),
])
def test_purchases_offers_installs_and_what_a_reason_or_a_relative_clause_tells(text, expected):
    assert actions(text) == expected


def test_a_headline_part_with_its_own_vendor_has_its_own_actions():
    assert keys("Korvale County Prosecutors Drop Clearview Searches, Keep Cellebrite") == {
        ("halts", "Clearview AI", None)}
    # a later part naming no vendor goes on with the one before
    assert actions("Sheriff's Office in Ocotillo County Signs Licence With Clearview, Runs 500 Searches in First "
                   "Month") == {"sells", "uses"}


def test_a_deal_that_ended_was_made_and_a_deal_in_the_next_sentence_is_the_vendors():
    assert actions("The Kessler Township Police Department let its BriefCam licence expire in May.") == {
        "sells", "halts"}
    found = keys("The FBI tested Clearview AI's platform for about four months. The bureau let the trial lapse "
                 "in 2022.")
    assert found == {("pilots", "Clearview AI", None), ("halts", "Clearview AI", None)}
    # a company's sales that end are its halt, not a deal
    assert actions("Amazon ended sales of Rekognition to police in 2020.") == {"halts"}


def test_a_switch_halts_what_it_leaves_and_uses_what_it_takes_up():
    assert keys("The Dahlgren police swapped ShotSpotter for Flock Safety's Raven sensors in March.") == {
        ("halts", "ShotSpotter", None), ("uses", "Flock Safety", None)}
    assert keys("The Carver City Police Department switched to DataWorks Plus in 2020.") == {
        ("uses", "DataWorks Plus", None)}


def test_arrests_credited_to_a_system_and_leads_it_produced_are_its_use():
    assert keys("Colombia's National Police credited 14 arrests to a Cognitec system at the stadium gates.") == {
        ("uses", "Cognitec", None)}
    assert keys("The Orrin Falls Police Department says the Flock Safety system has produced 52 leads.") == {
        ("uses", "Flock Safety", None)}


def test_a_procurement_order_is_a_sale_and_a_court_order_is_not():
    assert keys("On March 4, 2024, Veritone, Inc. entered into a task order with U.S. Customs and Border "
                "Protection.") == {("sells", "Veritone", None)}
    assert actions("A court order bars the Riverton police from using Clearview AI.") == {"bans"}


def test_a_list_marker_does_not_change_what_a_sentence_states():
    # The parser hangs a sentence from a leading dash; the demo's moratorium post is a bulleted list.
    assert relations("- Customers outside law enforcement can continue to use all Rekognition features.") == []
    found = relations("\u2022 Police in Ohio used Clearview AI to identify a suspect.")
    assert [(r.action, r.vendor, r.sentence) for r in found] == [
        ("uses", "Clearview AI", "Police in Ohio used Clearview AI to identify a suspect.")]


def test_a_relative_clause_on_the_product_adds_its_action():
    found = keys("Agents at ICE relied on the Palantir software, which the agency has licensed since 2014.")
    assert found == {("uses", "Palantir", None), ("sells", "Palantir", None)}
    assert keys("ShotSpotter sensors, which the NYPD bought in 2015, alerted officers.") == {
        ("sells", "ShotSpotter", None), ("uses", "ShotSpotter", None)}  # the alerts are the use


def test_an_action_in_another_clause_whose_subject_stands_for_the_agency_is_the_agencys():
    found = relations("The Kelbrook Police Department signed a new contract with NEC last year, and the "
                      "department says it will keep using NeoFace at its three stations.")
    assert {(r.action, r.vendor, r.agency) for r in found} == {
        ("sells", "NEC", "Kelbrook Police Department"), ("uses", "NEC", "Kelbrook Police Department")}
    # A pronoun that stands for a named vendor is not the agency: the sales are Amazon's, to retailers.
    assert ("sells", "Amazon", "Amazon Rekognition") not in keys(
        "The Kelbrook Police Department dropped Clearview AI in March, and Amazon says it will keep selling "
        "Rekognition to retailers.")


def test_a_use_the_parse_hangs_beside_a_ban_is_still_the_bans():
    # The parser makes "using" a clause of "extended", not of "police": the ban still governs it.
    assert keys("Lawmakers have not acted, so Amazon extended the ban on police using its Rekognition service "
                "for another year.") == {("halts", "Amazon", "Amazon Rekognition")}


def test_a_kind_of_software_is_not_a_use():
    found = keys("Tender papers show the Halvering public security bureau bought cameras from Hikvision and "
                 "face-matching software from SenseTime.")
    assert found == {("sells", "Hikvision", None), ("sells", "SenseTime", None)}


def test_a_run_on_sentence_is_not_read():
    clause = "Amazon sold Rekognition to the police, and Microsoft used its Face API with ICE"
    # Each vendor keeps to its own clause: Amazon sold, Microsoft used.
    assert keys(clause + ".") == {("sells", "Amazon", "Amazon Rekognition"),
                                  ("uses", "Microsoft", "Microsoft Azure Face")}
    assert relations("; ".join([clause] * 12) + ".") == []  # a flattened table, not a statement


@pytest.mark.parametrize(("text", "expected"), [
    ("The Brackett County Sheriff's Office has leased Flock Safety cameras since 2022.", {"sells"}),
    ("Detectives lean on Vigilant Solutions' FaceSearch a couple of times a week, the Ochoa County Sheriff's Office "
     "said.", {"uses"}),
    ("The Ochoa County Sheriff's Office has paid for Vigilant Solutions' FaceSearch service out of a state grant "
     "since 2020.", {"sells"}),
    ("A parallel evaluation of Paravision's software by the Harbor City Transit Police was cut short in May.",
     {"pilots", "halts"}),
    ("The Alameda County Sheriff's Office finished a pilot of Trueface in March and signed a two-year licence the "
     "following week.", {"pilots", "sells"}),
    ("The chief praised a free trial of Clearview AI the Millbrook Police Department ran last fall.", {"pilots"}),
    ("The Oakwood Transit Police have been piloting Oosto's watchlist alerts since January.", {"pilots"}),
    ("Croatia's border police extended the Thales contract by three years.", {"sells"}),
])
def test_leases_payments_for_a_service_extensions_and_what_a_later_conjunct_or_a_clause_tells(text, expected):
    assert actions(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The Lindale Police Department bought three Cellebrite licences last spring. It used them to open phones "
     "seized in a fraud case.", {("sells", "Lindale Police Department"), ("uses", "Lindale Police Department")}),
    # the sentence before opened with the vendor: "It" is the vendor, which used nothing
    ("Cellebrite sold three licences to the Lindale Police Department last spring. It used the money to hire "
     "engineers.", {("sells", "Lindale Police Department")}),
])
def test_it_opening_the_next_sentence_goes_on_with_the_agency_that_opened_the_one_before(text, expected):
    assert {(r.action, r.agency) for r in relations(text)} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the parser reads this "off" as a preposition
    ("The Brno police have switched off the Dahua cameras they bought in 2016, the city said on Tuesday, citing "
     "security concerns.", {"halts", "sells"}),
    ("Critics gave the Dunmore Police Department credit for its caution about Clearview AI.", set()),
    ("Dahua's booth ran a live demo of its face capture cameras for officers from the Lyon police.", set()),
    ("The Pinecrest Police Department's contract with ShotSpotter ran from 2018 to 2023.", {"sells"}),
    ("The Yarrow County Sheriff's Office tested Fusus for 60 days before signing a three-year agreement.",
     {"pilots", "sells"}),
])
def test_a_switch_off_a_demo_praise_a_contract_that_ran_and_a_deal_signed_after_a_trial(text, expected):
    assert actions(text) == expected


def test_a_halt_after_a_trial_of_another_vendor_is_not_this_ones():
    found = keys("The Yarrow County Sheriff's Office renewed its Babel Street subscription and tested Voyager Labs "
                 "for 60 days before dropping it.")
    assert ("halts", "Babel Street", None) not in found and ("sells", "Babel Street", None) in found


def test_ring_neighbors_named_with_ring_before_it():
    assert keys("The Tarrant Police Department stopped using Ring's Neighbors portal in 2023.") == {
        ("halts", "Ring", "Ring Neighbors")}


@pytest.mark.parametrize(("text", "expected"), [
    ("Harlan Sheriff Shuts Down Clearview AI Pilot", {"halts", "pilots"}),
    ("Microsoft Walls Off Azure Face From Police", {"halts"}),
    ("Officers of the Elmira Police Department searched Clearview AI as part of a 30-day trial.", {"pilots", "uses"}),
    ("The Kenton County Sheriff's Office will begin using Oosto's watchlist alerts next month.", set()),
    ("Sheriff Ray Boone said he would like to add Oosto's watchlist alerts to the Kenton County Jail cameras.", set()),
    ("South Wales Police says it will keep using NeoFace at football matches.", {"uses"}),
    ("The Drug Enforcement Administration tested Trueface for three months and bought nothing.", {"pilots"}),
    ("Amazon has not made Rekognition available to police departments for face comparison since June 2020.",
     {"halts"}),
    ("Deputies in the Ochoa County Sheriff's Office turned to Clearview AI after the robbery.", {"uses"}),
    ("The board heard a presentation from Paravision about face matching for the Clayborne County Sheriff's Office.",
     set()),
])
def test_headline_stops_trials_plans_purchases_of_nothing_and_what_was_made_available(text, expected):
    assert actions(text) == expected


def test_a_customer_that_is_not_the_police_buys_for_itself():
    assert relations("The Harmon Unified School District licensed SAFR for its campuses, and the Harmon Police "
                     "Department has no access to it.") == []


def test_a_description_by_home_picks_one_of_two_vendors_named_before():
    text = ("Rank One Computing and Idemia bid for the Dunmore County Sheriff's Office contract. The Denver-based "
            "company signed a three-year licence with the sheriff's office in August.")
    assert keys(text) == {("sells", "Rank One Computing", None)}
    # both Chinese: the description picks out neither
    assert relations("Dahua and Hikvision bid for the Dunmore County Jail contract. The Chinese camera maker signed "
                     "a three-year licence with the jail in August.") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Clearview AI has a selling point it offers up to police departments nationwide: it solved a murder.", set()),
    ("NEC offered a demonstration of NeoFace to the Harlow Police Department.", set()),
    ("NEC offered NeoFace to the Harlow Police Department under a three-year contract.", {"sells"}),
])
def test_a_selling_point_or_a_demonstration_offered_is_a_pitch(text, expected):
    assert actions(text) == expected
