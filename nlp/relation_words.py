"""The words the relation rules read (:mod:`nlp.relations`): the five actions, and the words around an action
that change it (a stop, a refusal, a demand or plan, a report, a negation, a denial, an exclusion), or that
tell who stands behind it (a word for a force, a government).
"""

from __future__ import annotations

import re

# Most specific first: a tie between action words in the parse goes to the earlier one.
ACTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"(?:{expr})$", re.IGNORECASE))
    for name, expr in (
        ("bans", r"bans?|banned|banning|prohibit\w*|outlaw\w*|barr(ed|ing)|bars?|forb[ia]d\w*"),
        ("halts", r"halt\w*|paus\w*|moratori\w*|suspen\w*|stop(s|ped|ping)?|ceas\w*|exit(s|ed|ing)|"
                  r"withdr[ae]w\w*|quit(s|ting)?|refus\w*|declin\w*|drop(s|ped|ping)?|cancel\w*|scrap(s|ped|ping)?|"
                  r"abandon\w*|shelv\w*|terminat\w*|discontinu\w*|end(s|ed|ing)?|reversal|revers\w*|"
                  r"retir\w*|expir\w*|lapse[sd]?|froze|freez\w*"),
        ("sells", r"sells?|sold|selling|sales?|buys?|bought|buying|purchas\w*|procur\w*|suppl(y|ies|ied|ier)|"
                  r"licen[cs]\w*|pa(id|ys|ying)|contract\w*|offer(s|ed|ing)?|provid\w*|"
                  r"award\w*|acquir\w*|vendor|renew\w*|subscri(be|bes|bed|bing|ption|ptions)|select(s|ed|ing|ion)?|cho(se|sen)|leas(e|es|ed|ing)|agreements?|deals?|partner\w*|customers?"),
        ("pilots", r"pilot\w*|trial\w*|test(s|ed|ing)?|evaluat\w*"),
        ("uses", r"use[sd]?|using|user|deploy\w*|ran|runs?|running|rel(y|ies|ied)|lean(s|ed|ing)?|operat(e|es|ed)|"
                 r"adopt\w*|search(ed|es|ing)?|quer(y|ies|ied|ying)|access(es|ed|ing)?|"
                 r"match(ed|es|ing)?|scan(s|ned|ning)?|rolled|roll(s|ing)?|employ\w*|tap(s|ped|ping)?|"
                 r"flag(s|ged|ging)|alert(s|ed|ing)?|credit(s|ed|ing)?|install(s|ed|ing)?"),
    )
)
# Nouns for a deal that can end as a pilot can ("its Clearview licence lapsed": the licence was sold, then ended).
DEALS = re.compile(r"contracts?|licen[cs]es?|subscriptions?|agreements?|deals?", re.IGNORECASE)
PRECEDENCE = {name: rank for rank, (name, _) in enumerate(ACTIONS)}
SELLING = dict(ACTIONS)["sells"]
PAYING = {"paid", "pays", "paying"}
# What paying for is buying from the vendor: "has paid for the service out of a state grant".
PAID_FOR = re.compile(r"(service|system|software|tool|platform|database|app|licen[cs]e|subscription|access)s?",
                      re.IGNORECASE)
SIGNING = {"sign", "signs", "signed", "signing"}
MAKING = {"make", "makes", "made", "making"}
# Customers that are not the police, as the subject of a sale or use ("the school district licensed SAFR").
CUSTOMERS = re.compile(r"(district|school|university|college|airline|airport|mall|store|retailer|hospital|stadium|"
                       r"casino|bank|landlord|employer|supermarket|chain|arena)s?", re.IGNORECASE)
RUNNING = {"ran", "run", "runs", "running"}
# What a vendor shows officers is no use by them: "ran a live demo for officers", "a demonstration".
SHOWING = re.compile(r"(demo|demonstration|presentation|showcase|walkthrough)s?", re.IGNORECASE)
TRYING = {"try", "tries", "tried", "trying"}
ORDERING = {"order", "orders", "ordered", "ordering"}
# A procurement order is a sale ("entered into a task order with CBP"); a court's or an executive order is not.
ORDER_KINDS = {"task", "purchase", "delivery", "work", "blanket", "call"}
# Results an agency got from a system are its use of it ("the system has produced 52 leads").
RESULTING = {"produce", "produced", "produces", "producing", "generate", "generated", "generates", "generating",
             "yield", "yielded", "yields", "return", "returned", "returns"}
RESULTS = re.compile(r"(leads?|match(es)?|hits?|alerts?|arrests?|identifications?|suspects?)$", re.IGNORECASE)
STOPPING = {"stop", "stops", "stopped", "stopping"}
# A switch stops one thing for another: "swapped ShotSpotter for Flock", "replaced Dahua cameras with Axon's".
SWITCHING = re.compile(r"(swap|switch|replac|migrat)\w*$", re.IGNORECASE)
SWITCHED_TO = {"for", "with", "to", "by"}
# "moved from DataWorks Plus to Rank One": a switch when it says from what.
MOVING = {"move", "moves", "moved", "moving"}
# "won a $2.3 million contract", "Wins Camera Tender": a sale.
WINNING = {"win", "wins", "won", "winning"}
WON = re.compile(r"(contracts?|tenders?|deals?|orders?|bids?|licen[cs]es?)$", re.IGNORECASE)
# "spent $86,000 on a DataWorks Plus module": a purchase.
SPENDING = {"spend", "spends", "spent", "spending"}
# "switched on the face-matching add-on": put to use.
STARTING_VERBS = re.compile(r"(switch|turn)\w*$", re.IGNORECASE)
# Who may describe a vendor as the subject of its own ban ("the Company prohibits police from using Face API").
VENDOR_WORDS = {"company", "firm", "vendor", "maker", "supplier", "provider", "giant"}
# "went live with the platform", "the cameras have gone live": put to use.
GOING = {"go", "goes", "went", "gone", "going"}
# Words that make a use word the name of a technology ("Face Matching At Dover"), not a use.
FACE_WORDS = {"face", "facial", "faces"}
# Nouns that stand for the one product a sentence names ("began querying the system").
DESCRIPTIONS = re.compile(r"(system|software|tool|platform|app|application|database|service|technology|"
                          r"program|product|cameras?|sensors?)s?", re.IGNORECASE)
# A verb with one of these particles stops something: "rules out", "turned down", "walked away", "pulled out",
# "ripped out", "ran out", "taken down".
STOPPING_PARTICLES = re.compile(r"out|down|away|back|off|short", re.IGNORECASE)
STOPPING_VERBS = re.compile(r"(rul|turn|walk|pull|step|back|bow|phas|wound|wind|call|cut|hold|held|switch|rip|tor|"
                            r"tear|ran|run|tak|took|shut|wall)\w*$", re.IGNORECASE)
# A decision not to go on with something stops it, whatever the tense ("did not extend the trial", "elected not
# to renew its subscription"); a negated past of other verbs is a denial.
CONTINUING = re.compile(r"(extend|renew|continu)\w*$", re.IGNORECASE)
# "may no longer use", "can no longer buy": permission taken away (under an ordinance, a ban).
PERMITTING = {"may", "can"}
# What an action is reported from when it is only alleged ("according to the complaint, officers ran ...").
ALLEGING = re.compile(r"(complaint|lawsuit|suit|petition|allegation|claim|indictment)s?$", re.IGNORECASE)
# A refusal of something other than a sale or use ("declined to comment") is no action.
REFUSAL = re.compile(r"(declin|refus)", re.IGNORECASE)
SPEECH = re.compile(r"(answer|say|said|comment|confirm|discuss|disclos|respond|elaborat|specify|identif|name|"
                    r"provide details|detail|reveal|share|publish|release)\w*$", re.IGNORECASE)
# Above the action in the parse, these mean it has not happened (yet): a demand, a plan, a question, a
# worry, a forecast.
UNREAL = re.compile(
    r"(urg|ask|call|demand|press|pressur|petition|request|want|push|lobb|propos|resolv|recommend|advis|consider|"
    r"plan|weigh|concern|worr|fear|wonder|whether|if|should|could|might|may|debat|seek|sought|"
    r"encourag|implor|imagin|bet|expect|predict|forecast|anticipat|hope|delay|attempt|try|tries|effort|bid|"
    r"alleg|claim|rumo|hoax|satir|pitch|market|intend|intent|aim|tabl)\w*$",
    re.IGNORECASE)
# Subjects that say what their clause tells has not happened: "my fear is that the sheriff will buy it".
UNREALISED = re.compile(r"(fear|worry|concern|hope|plan|proposal|question|risk|danger|aim|goal|idea|wish)s?",
                        re.IGNORECASE)
# "would" is unreal ("an amendment that would ban") unless someone reported it ("Amazon said it would pause").
REPORTING = re.compile(r"(said|says|say|announc|told|tell|wrote|writ|stat|confirm|explain|add|inform|notif)\w*$",
                       re.IGNORECASE)
NEGATION = re.compile(r"not|n't|never|no|nor|without|longer|denies|denied|deny|denying", re.IGNORECASE)
DENIAL = re.compile(r"(den(y|ies|ied|ying)|insist\w*|reject\w*|disput\w*)$", re.IGNORECASE)
# An agency under one of these is the one left out ("customers outside law enforcement can use it").
EXCLUDING = re.compile(r"outside|except|excluding|besides|beyond", re.IGNORECASE)
# A negated past is a denial ("has not sold", "did not use"); a negated future or present a refusal.
PAST_AUXILIARIES = {"has", "have", "had", "did", "was", "were", "been"}
# The subject of an action that may stand for the agency the sentence names: a word for a force (a pronoun
# is read through to the subject above it: "..., and the force says it will keep using NeoFace").
AGENCY_WORDS = re.compile(r"(force|department|police|agenc(y|ies)|service|sheriff|office|officers|deputies|agents|"
                          r"guards|troopers|bureau|detectives|investigators|authorities)s?", re.IGNORECASE)
GOVERNMENT = re.compile(
    r"\b(council|city|cities|county|state|states|legislat\w*|lawmakers?|congress|parliament|eu|european|"
    r"government|voters|ordinance|law|bill|supervisors|regulators?|court|commission|assembly|senate|mayor|"
    r"governor|ballot|measure|act|judges?|justices?|tribunal|courts)\b", re.IGNORECASE)
# A verb by which a government, a court or a regulator makes an agency stop: "a judge ordered the department to
# stop using Clearview" is a ban.
COMPELLING = re.compile(r"(order|requir|direct|compel|forc|instruct|mandat|enjoin)\w*$", re.IGNORECASE)
# Descriptions that stand for the vendor or product, or for the agency, a sentence before named ("Voyager Labs
# signed a trial agreement with the LAPD. The department later said it did not buy the product."): the noun
# (group 1, or 2 for a bare plural of agency staff) is read as the name.
VENDOR_REFERENCE = re.compile(
    r"\b(?:the|its|this|that)\s+(?:[\w-]+\s+){0,2}?(company|firm|vendor|start-?up|maker|supplier|contractor|giant|bidder|"
    r"system|software|tool|platform|app|application|database|technology|product|algorithm|"
    r"trial|pilot|test|contract|licen[cs]e|subscription|account|deal|agreement)\b", re.IGNORECASE)
# Where vendors are based, as coverage describes them ("the Denver-based company", "the Chinese camera maker"):
# a description picks out one of several vendors the sentence before named. Public facts; a vendor missing here
# is picked out only when it was named alone.
VENDOR_HOMES = {
    "Amazon": "Seattle", "Apple": "Cupertino|California", "Axon": "Scottsdale|Arizona",
    "Babel Street": "Reston|Virginia", "BriefCam": "Israeli?", "Cellebrite": "Israeli?|Petah Tikva",
    "Clearview AI": "New York|Manhattan", "CloudWalk": "Guangzhou|Chinese|China", "Cognitec": "Dresden|German|Germany",
    "Corsight AI": "Tel Aviv|Israeli?", "Dahua": "Hangzhou|Chinese|China",
    "DataWorks Plus": "Greenville|South Carolina",
    "Flock Safety": "Atlanta|Georgia", "Fusus": "Atlanta|Georgia", "Genetec": "Montreal|Canadian|Canada|Quebec",
    "Google": "Mountain View|California", "Hikvision": "Hangzhou|Chinese|China", "IBM": "Armonk",
    "Idemia": "French|France|Paris", "Megvii": "Beijing|Chinese|China", "Meta": "Menlo Park|California",
    "Microsoft": "Redmond|Washington", "Motorola Solutions": "Chicago|Illinois", "NEC": "Tokyo|Japanese|Japan",
    "Oosto": "Tel Aviv|Israeli?", "Palantir": "Denver|Colorado", "Paravision": "San Francisco|California",
    "Rank One Computing": "Denver|Colorado", "RealNetworks": "Seattle", "Ring": "Santa Monica|California",
    "SenseTime": "Hong Kong|Shanghai|Chinese|China", "Thales": "French|France|Paris", "Verint": "Melville|New York",
    "Vigilant Solutions": "Livermore|California", "Yitu": "Shanghai|Chinese|China",
}
PRONOUN_REFERENCE = re.compile(r"\b(?:it|them)\b", re.IGNORECASE)
STAFF_WORDS = "officers|deputies|agents|troopers|detectives|investigators|guards"
STAFF = re.compile(f"({STAFF_WORDS})", re.IGNORECASE)
AGENCY_REFERENCE = re.compile(
    r"\b(?:the|its)\s+(?:[\w-]+\s+){0,2}?(force|department|agency|bureau|office|constabulary|jail|prison|"
    rf"gendarmerie)\b|\b({STAFF_WORDS})\b", re.IGNORECASE)
# A list item's marker ("- ", "• ", "3. ") at the start of a sentence: the parser reads a dash as a word and
# hangs the sentence from it.
LIST_MARKER = re.compile(r"^\s*(?:[-*\u2022\u2013\u2014]|\d{1,2}[.)])\s+")
# What the lexicon's agency cues leave out of a name, read by the relation rules alone: the plural of a police
# department's abbreviation ("two PDs"), and the words that name a force after "Policia" ("Brazil's Policia
# Federal"; the longer match names the agency).
MORE_AGENCIES = re.compile(r"\bPDs\b|\bPol[ií]c[ií]a(?:(?: de| da| do)? [A-Z][\w\u00C0-\u017F]*)+")
# Nouns after an agency word that make it a kind of thing, not an agency ("police technology", "crime center
# software").
KIND_OF = re.compile(
    r"[\s-]+(software|platforms?|tools?|apps?|database|technology|products?|vendors?|market|industry)\b", re.IGNORECASE)
# The word after an agency word that completes its name ("the sheriff's office", "the police department").
AGENCY_TAIL = re.compile(r"(?:'s)?\s+(?:office|department|service|force)\b", re.IGNORECASE)
# The capitalised words just before an agency word, which name it ("Harlan County" Sheriff), and the ones
# that do not ("The", "In", "And").
CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'.&-]*\s+){1,5}$")
JOINING_WORDS = {"The", "A", "An", "In", "On", "At", "By", "For", "To", "And", "Of", "From", "With", "As", "But",
                 "Its", "Their", "His", "Her", "Our", "This", "That", "After", "Before", "Since", "When", "While"}
