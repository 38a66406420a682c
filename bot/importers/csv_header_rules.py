"""Which field a header's words name, for headers the synonym table does not list.

Each field has word sets that name it (`paid amount`, `insurance payment`) and words that
rule it out (`patient`, `date`: `Patient Paid` and `Payment Date` are not the payer's
payment). A header scores for a field when one of the field's word sets is inside the
header's words and none of the excluding words is: the score is the share of the header's
words the set explains, so the most specific reading wins (`Payer Claim Number` is a payer
claim number, not a claim number).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from bot.importers.csv_columns import Field
from bot.importers.csv_words import content_words

# field: word sets separated by `|`; after `unless:` the words that rule the field out.
_RULES: Final = """
claim: claim | claim number | claim id | claim reference | patient control number |
    pcn | patient control | claim control number | invoice | invoice number | claim key
    unless: payer clearinghouse status date amount charge paid payment type line frequency
    count total balance original icn insurance adjustment reason billed allowed code
    description remark denial
payer_claim: payer claim | payer claim number | payer claim id | payer control number |
    icn | payer icn | internal control number | dcn | document control number |
    payer claim control number | payer reference | payer claim reference
    unless: date amount status
clearinghouse_ref: clearinghouse reference | clearinghouse claim | clearinghouse id |
    clearinghouse claim id | clearinghouse number
    unless: date amount status
encounter: encounter | encounter id | encounter number | visit | visit id | visit number |
    appointment | appointment id | ticket | ticket number
    unless: date type status reason provider location amount charge
line: line item | line item id | line id | service line id | charge id | line control number |
    transaction id | line item number | line | line number | service line |
    service line number
    unless: date amount status paid payment charge billed allowed units adjustment code
    procedure cpt reason remark group modifier type description
patient_account: account | account number | patient account | patient account number |
    patient id | patient number | chart | chart number | mrn | medical record number |
    person number | account id
    unless: payer insurance date name balance type status
patient_name: patient | patient name | client | client name | patient full name |
    patient last name | guarantor name | insured name | subscriber name
    unless: id number account date birth balance responsibility paid payment control amount
    member type status reason first
dob: birth date | patient birth date | date birth
member_id: member id | member number | subscriber id | insured id | policy number | policy |
    member | subscriber number | insured number | mbi | hicn | medicare id | policy id |
    subscriber | insurance id | insurance number
    unless: name date birth group
payer: payer | payer name | insurance | insurance name | insurance company |
    insurance company name | primary insurance | primary payer | payer insurance |
    remitter | health plan | insurance payer | primary insurance name | payer company
    unless: id number paid payment amount balance type date class code responsibility
    status address phone city state zip group policy plan order adjustment claim control
    sequence
payer_id: payer id | payer number | payer code | edi payer id | payer edi | insurance payer id |
    primary payer id | insurance id | carrier id | insurance code | carrier code |
    insurance number
    unless: claim name
plan: plan | plan name | insurance plan | financial class | product | plan type |
    benefit plan | fin class
    unless: id number amount date paid payment
service_date: service date | date | from date | service from date | service start date |
    start date | visit date | encounter date | appointment date | procedure date |
    from | billed service date | service from
    unless: post posted posting check received remit payment paid deposit birth denial denied
    adjudication adjudicated process processed end to entry created submission submitted
    age days eob era remittance issue transaction response last thru through
notice_date: check date | remit date | remittance date | era date | eob date | payment date |
    paid date | adjudication date | adjudicated date | process date | processed date |
    received date | denial date | denied date | response date | check issue date |
    issue date | eft date | determination date | decision date
    unless: service birth post posted posting entry age days
posted_date: posted date | post date | posting date | entry date | deposit date |
    accounting date | created date | transaction date
    unless: service birth
procedure: procedure | procedure code | cpt | cpt code | hcpcs | cpt hcpcs | service code |
    billing code | code | cpt 4 | hcpcs code | cpt hcpcs code
    unless: modifier description amount date diagnosis icd reason remark adjustment group
    status place payer provider zip error denial charge units insurance member account
    patient claim check npi
modifiers: modifier | modifier code | procedure modifier
    unless: 1 2 3 4
modifier1: modifier 1 | procedure modifier 1
modifier2: modifier 2 | procedure modifier 2
modifier3: modifier 3 | procedure modifier 3
modifier4: modifier 4 | procedure modifier 4
units: units | service units | units billed | billed units | days units
    unless: amount charge price paid
billed: charge | charge amount | billed | billed amount | amount billed | total charge |
    line charge | claim charge | submitted charge | submitted amount | fee | gross charge |
    total billed | charge total | billed charge | claim amount | line item charge
    unless: paid payment allowed adjustment patient balance date code id number reason
    description count units
allowed: allowed | allowed amount | approved | approved amount | contract allowed amount |
    eligible amount | allowable | allowed charge
    unless: date code
paid: paid | paid amount | amount paid | payment | payment amount | insurance paid |
    insurance payment | primary paid | payer paid | net payment | net paid |
    reimbursement | plan paid | total paid | insurance payment amount
    unless: patient date reference number id check method type status code description
    copay responsibility balance eft trace batch deductible coinsurance
adjustment: adjustment | adjustment amount | contract adjustment | denied amount |
    denial amount | disallow | disallow amount | write off | write off amount |
    adjusted amount | insurance adjustment | contractual adjustment | amount denied |
    total adjustment | not allowed | non covered amount
    unless: reason code group date description remark type number id secondary patient
deductible: deductible | deductible amount
coinsurance: coinsurance | coinsurance amount
copay: copay | copay amount
patient_responsibility: patient responsibility | responsibility | patient portion |
    patient share | patient amount | patient liability
    unless: date
group: group code | adjustment group | adjustment group code | claim adjustment group |
    claim adjustment group code | cagc | group
    unless: reason number name plan policy payer insurance id npi provider practice
carc: reason code | adjustment reason | adjustment reason code | adjustment code | carc |
    denial code | reason | remit code | group reason | adjustment group reason |
    claim adjustment reason code | denial reason code | denial reason | carc code |
    remittance code | adjustment group reason code
    unless: description text message remark amount date count rarc
rarc: remark | remark code | rarc | remittance remark | remark code list | rarc code |
    remittance remark code
    unless: description text amount date
reason_text: reason | denial | denial reason | reason description | description | message |
    denial description | reason text | denial message | explanation | remark description |
    reason code description | adjustment description | denial reason description
    unless: date amount procedure cpt
check: check | check number | eft | eft number | trace | trace number | check eft |
    payment reference | payment number | reference number | check trace | eft trace |
    check eft number | eft trace number | payment id
    unless: date amount
rendering_provider: rendering provider | rendering provider name | provider | provider name |
    doctor | physician | clinician | rendering | servicing provider | rendering physician |
    attending provider | doctor name | physician name
    unless: npi id number taxonomy billing referring ordering supervising type specialty
    group tax code
rendering_npi: npi | rendering npi | rendering provider npi | provider npi | servicing npi |
    physician npi | doctor npi | servicing provider npi
    unless: billing referring ordering group facility location practice payer organization
    supervising
location: location | facility | office | service location | location name | facility name |
    place of service name
    unless: npi id code address
status: status | claim status | line status | status code | claim status code |
    transaction status | posted status | payment status | denial status | remit status |
    adjudication status | claim status description
    unless: date
era_file: era file | era file name | file | 835 file | remittance file | file name
    unless: date
"""


def _parse(text: str) -> tuple[dict[Field, list[frozenset[str]]], dict[Field, frozenset[str]]]:
    sets: dict[Field, list[frozenset[str]]] = {}
    unless: dict[Field, frozenset[str]] = {}
    entries: list[str] = []
    for line in text.strip().splitlines():
        if line.startswith(" ") and entries:
            entries[-1] += " " + line.strip()
        else:
            entries.append(line.strip())
    for entry in entries:
        name, _, body = entry.partition(":")
        target = Field(name.strip())
        rules, _, excluded = body.partition("unless:")
        sets[target] = [frozenset(words.split()) for words in rules.split("|") if words.strip()]
        unless[target] = frozenset(excluded.split())
    return sets, unless


WORD_SETS, UNLESS = _parse(_RULES)


@cache
def word_scores(header: str) -> dict[Field, float]:
    """Field → how well the header's words name it (0 < score ≤ 1); absent when not at all."""
    words = content_words(header)
    if not words:
        return {}
    scores: dict[Field, float] = {}
    for name, sets in WORD_SETS.items():
        if words & UNLESS[name]:
            continue
        best = max((len(s) / len(words) for s in sets if s <= words), default=0.0)
        if best:
            scores[name] = best
    return scores
