"""Both taggers (the trained classifier and the keyword baseline) on written examples: label decisions
with evidence sentences, entities, and the blank-English fallback."""

from __future__ import annotations

import pytest

from nlp import NlpSettings, Tagger
from nlp.pipeline import document_text


@pytest.fixture(scope="module", params=["transformer", "lexicon"])
def tagger(request) -> Tagger:
    return Tagger(NlpSettings(classifier=request.param))


@pytest.fixture(scope="module")
def transformer() -> Tagger:
    return Tagger(NlpSettings())


def decisions(tagger: Tagger, title: str, text: str) -> dict[str, bool]:
    return {label: result.decision for label, result in tagger.tag(title, text).labels.items()}


def test_police_face_recognition_with_bias_claim(tagger):
    got = decisions(
        tagger, "Sheriff's office expands face-matching program",
        "Deputies in Lane County now run booking photos through Amazon Rekognition. The ACLU said the "
        "software misidentifies darker-skinned women far more often than white men.",
    )
    assert got == {"facial_recognition": True, "law_enforcement": True, "civil_rights": True}


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Phone review", "Face ID unlocked the handset in under a second, even in a dim room with sunglasses on.",
         {"facial_recognition": True, "law_enforcement": False, "civil_rights": False}),
        ("Election worries", "A deepfake video that swapped the mayor's face onto an actor spread on social media.",
         {"facial_recognition": False, "law_enforcement": False, "civil_rights": False}),
        ("Burglary arrest", "Police arrested a man on Tuesday after a break-in at a hardware store on Elm Street.",
         {"facial_recognition": False, "law_enforcement": False, "civil_rights": False}),
        ("Plate readers", "The police department signed a contract for licence-plate reader cameras on six bridges.",
         {"facial_recognition": False, "law_enforcement": True, "civil_rights": False}),
        ("New storage tier", "Today we are launching a colder S3 storage class for archives kept for years.",
         {"facial_recognition": False, "law_enforcement": False, "civil_rights": False}),
        ("Doorbell camera review", "The new doorbell records 2K video and sends a motion alert when a parcel "
         "is left on the porch.", {"facial_recognition": False, "law_enforcement": False, "civil_rights": False}),
        ("Face recognition pilot ends over cost", "The sheriff's office ended its six-month face search trial "
         "after the vendor doubled its price, a spokesman said.",
         {"facial_recognition": True, "law_enforcement": True, "civil_rights": False}),
        ("Army tests face matching on drones", "The Pentagon's research office will test whether drones can "
         "match faces of enemy combatants on the battlefield.",
         {"facial_recognition": True, "law_enforcement": False, "civil_rights": False}),
    ],
)
def test_hard_negatives(tagger, title, text, expected):
    assert decisions(tagger, title, text) == expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # Families the keyword list misses.
        ("Predictive policing contract renewed", "The police department renewed its contract for software that "
         "forecasts burglary hot spots from past incident reports.",
         {"facial_recognition": False, "law_enforcement": True, "civil_rights": False}),
        ("Ad tracking study", "Researchers found that popular weather apps share precise location data with "
         "dozens of advertisers without users' knowledge, a privacy violation regulators are examining.",
         {"facial_recognition": False, "law_enforcement": False, "civil_rights": True}),
        ("Retailer scans shoppers' faces", "Civil liberties groups said the chain collected faceprints without "
         "consent.", {"facial_recognition": True, "law_enforcement": False, "civil_rights": True}),
        ("Election worries", "Lawmakers want rules for deepfakes and for facial recognition in public places.",
         {"facial_recognition": True, "law_enforcement": False, "civil_rights": True}),
        # Whose use is law enforcement: a base's own gate is military, not police; a ban on "city bureaus"
        # covers the police even when they are not named.
        ("Navy tests face matching at a base gate", "Sailors and civilian staff will badge in by looking at a "
         "camera at the main gate of the naval air station, the base commander said.",
         {"facial_recognition": True, "law_enforcement": False, "civil_rights": False}),
        ("City bans face recognition by government and businesses", "The ordinance bars city bureaus as well as "
         "private businesses from using the technology.",
         {"facial_recognition": True, "law_enforcement": True, "civil_rights": True}),
        # Covert surveillance of people is a privacy claim; a patched bug with no one spied on is not.
        ("Spyware maker sued by messaging app", "The lawsuit says the company's tool was used to break into the "
         "phones of 1,400 users, including journalists and human rights activists.",
         {"facial_recognition": False, "law_enforcement": False, "civil_rights": True}),
        ("Chipmaker patches flaw", "The update fixes a bug in the modem firmware that attackers could use to crash "
         "phones; no exploitation has been seen.",
         {"facial_recognition": False, "law_enforcement": False, "civil_rights": False}),
        # Where the cameras are pointed is the discrimination claim.
        ("Drugstore chain put face scanners in poorer neighbourhoods", "An investigation found the cameras mostly "
         "in stores in lower-income, largely Black and Latino areas.",
         {"facial_recognition": True, "law_enforcement": False, "civil_rights": True}),
        # Objection and missing notice told in plain words are rights claims; faces in a picture are not
        # face recognition.
        ("Gym chain scanned members' faces at the door without notifying them, regulator says", "",
         {"facial_recognition": True, "law_enforcement": False, "civil_rights": True}),
        ("Library patrons protest as branch adds face-matching cameras at its entrances",
         "Dozens signed a letter asking the board to switch them off.",
         {"facial_recognition": True, "law_enforcement": False, "civil_rights": True}),
        pytest.param(
            "Family shares a hiking photo book", "The album has portraits of everyone, faces lit by the sunset.",
            {"facial_recognition": False, "law_enforcement": False, "civil_rights": False},
            marks=pytest.mark.xfail(strict=True, reason="known weakness since session 9 (nlp/README.md): "
                                    "photo-album passages lean to face recognition after the long documents' "
                                    "photo-app windows (0.50 against 0.49 with photo_faces.jsonl)"),
        ),
        ("Police department blurs faces in released bodycam video",
         "The new redaction software hides bystanders' faces before footage goes online.",
         {"facial_recognition": False, "law_enforcement": False, "civil_rights": False}),
    ],
)
def test_families_the_classifier_reads(transformer, title, text, expected):
    assert decisions(transformer, title, text) == expected


BAN_STEM = "The select board voted 3-2 to bar town departments, including police, from buying face recognition systems"


def _ban_civil_rights(transformer: Tagger, ending: str) -> float:
    return transformer.tag("Town restricts biometric systems", BAN_STEM + ending).labels["civil_rights"].score


def test_a_ban_without_a_motive_is_a_toss_up_and_a_stated_harm_is_not(transformer):
    # The project's convention (nlp/data/README.md, "Unsure (soft) targets"): a restriction of police face
    # recognition reported with no motive trains toward 0.5 for civil rights; a stated harm makes it a
    # rights item.
    harm = _ban_civil_rights(transformer, ", citing the risk of misidentifying Black residents.")
    bare = _ban_civil_rights(transformer, ".")
    assert harm > 0.9
    assert 0.2 < bare < 0.9
    assert bare < harm


def test_a_reason_that_is_not_a_rights_one_is_a_feature_of_its_own():
    # The pooled embedding carries a restriction's topic, not its reason clause; the lexicon names the
    # reasons the rubric calls non-rights ones so the heads can weigh them (nlp/lexicon/cues.toml).
    from nlp.components import cached_lexicon
    from nlp.features import FEATURES, lexical_features

    lexicon = cached_lexicon(str(NlpSettings().lexicon_dir))
    other = FEATURES.index("other_reason")
    for reason in ("after the vendor doubled its price, saying the town cannot afford it",
                   "because the contractor went out of business", "after its licence lapsed"):
        assert lexical_features(lexicon, f"The county paused police face recognition {reason}.")[other] == 1
    for reason in ("citing the risk of misidentifying Black residents", "after protests over privacy", ""):
        assert lexical_features(lexicon, f"The county paused police face recognition {reason}.")[other] == 0


def test_a_budget_reason_lowers_the_civil_rights_score_of_a_ban(transformer):
    # What the feature buys (a bare ban is a toss-up near 0.6): a budget reason scores below it, though
    # not yet below 0.3 (the strict xfail below). The margin was 0.13 in session 6 and is 0.094 with
    # session 7's data (nlp/README.md); the bound is 0.05, still well above the noise of a retraining.
    bare = _ban_civil_rights(transformer, ".")
    budget = _ban_civil_rights(transformer, " after the vendor doubled its price, saying the town cannot afford it.")
    assert budget < bare - 0.05


@pytest.mark.xfail(strict=True, reason="known weakness (nlp/README.md): a budget reason for a restriction does "
                   "not lower the civil-rights score below a bare restriction's")
def test_a_budget_reason_scores_below_a_bare_ban(transformer):
    bare = _ban_civil_rights(transformer, ".")
    budget = _ban_civil_rights(transformer, " after the vendor doubled its price, saying the town cannot afford it.")
    assert budget < min(bare, 0.3)


def test_evidence_offsets_point_at_the_sentence(tagger):
    title, text = "Council bans police face recognition", "It cited bias. The vote was 7-2.\nThe ban starts in May."
    result = tagger.tag(title, text)
    whole = document_text(title, text, 10_000)
    evidence = result.labels["facial_recognition"].evidence
    assert evidence, "a positive label must come with evidence"
    for ev in evidence:
        assert whole[ev.start:ev.end] == ev.sentence
    assert evidence[0].sentence == title  # the title is a sentence of its own
    assert "face recognition" in evidence[0].matched_terms
    # The ban itself is civil-rights evidence (nlp/data/README.md, labelling conventions); the stated motive,
    # a sentence that says nothing on its own about face recognition, is shown beside it.
    assert "It cited bias." in [ev.sentence for ev in result.labels["civil_rights"].evidence]


def test_entities_agencies_vendors_products(tagger):
    result = tagger.tag("ICE and Clearview", "ICE signed a contract with Clearview AI. The ice on the lake was thin.")
    kinds = {(e.kind, e.normalized) for e in result.entities}
    assert ("agency", "U.S. Immigration and Customs Enforcement") in kinds
    assert ("vendor", "Clearview AI") in kinds
    assert sum(1 for e in result.entities if e.kind == "agency") == 2  # "ice" in lower case is not ICE


def test_without_the_spacy_model_tagging_still_works(tmp_path):
    fallback = Tagger(NlpSettings(spacy_model="no_such_model_installed"))
    assert fallback.ner is None
    result = fallback.tag("Met Police deploy live facial recognition in Westminster",
                          "Critics called it mass surveillance.")
    assert all(r.decision for r in result.labels.values())
    kinds = {e.kind for e in result.entities}
    assert "agency" in kinds and "place" not in kinds  # lexicon entities only


def test_people_and_places_come_from_the_positive_windows_with_document_offsets(transformer):
    title = "Sheriff Dana Whitfield defends face recognition in Tulsa"
    filler = " ".join(["The county fair opens on Saturday with a parade and a pie contest near Elm Park."] * 6)
    text = (f"Sheriff Dana Whitfield said deputies in Tulsa would keep running booking photos through Clearview AI."
            f"\n\n{filler}\n\nThe recipe contest was won by Margaret Okafor of Broken Arrow.")
    result = transformer.tag(title, text)
    assert result.labels["facial_recognition"].decision
    whole = document_text(title, text, 100_000)
    people = [e for e in result.entities if e.kind in ("person", "place")]
    assert any(e.text == "Dana Whitfield" for e in people)
    for e in result.entities:
        assert whole[e.start:e.end] == e.text
    assert not any("Okafor" in e.text for e in people), "a window that decided nothing is not read by the model"
