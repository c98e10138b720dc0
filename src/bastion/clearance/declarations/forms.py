"""The columns of each FAL form's spreadsheet, tied to the boxes of the IMO FAL forms
(Convention on Facilitation of International Maritime Traffic, appendix 1, as amended 2016-2019)
that the IMO Compendium on Facilitation and Electronic Business maps to its data elements.

One table drives the reader (which heading means which field, in English or Chinese), the
validator (kind and whether required) and the templates (heading order), so they cannot drift.
Headings are matched case-, space- and punctuation-insensitively; ``aliases`` take the other
spellings seen in real lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.tabular import normalise as tabular_normalise


@dataclass(frozen=True)
class Column:
    key: str  # the row model's field; also names the MISSING_<KEY> rule
    en: str  # template heading (English)
    zh: str  # template heading (Chinese)
    kind: str  # how the cell is checked, see validate.CHECKS
    required: bool
    fal: str  # FAL form box this column carries
    aliases: tuple[str, ...] = ()
    in_template: bool = True


def _person(form: str, *, crew: bool) -> list[Column]:
    box = "FAL 5" if crew else "FAL 6"
    cols = [
        Column("no", "No", "序号", "count", False, f"{box} 'No.'", ("序",)),
        Column("family_name", "Family name", "姓", "text", True, f"{box} 'Family name'",
               ("Surname", "Last name", "姓氏", "家族姓氏")),
        Column("given_names", "Given names", "名", "text", False, f"{box} 'Given names'",
               ("Given name", "First name", "First names", "名字")),
    ]
    if crew:
        cols.append(Column("rank", "Rank or rating", "职务", "text", True,
                           "FAL 5 'Rank or rating'", ("Rank", "职位", "职务或等级")))
    cols += [
        Column("nationality", "Nationality", "国籍", "country", True, f"{box} 'Nationality'"),
        Column("birth_date", "Date of birth", "出生日期", "date", True,
               f"{box} 'Date and place of birth'", ("DOB", "Birth date")),
        Column("birth_place", "Place of birth", "出生地", "text", True,
               f"{box} 'Date and place of birth'", ("出生地点",)),
        Column("gender", "Gender", "性别", "gender", True, f"{box} 'Gender' (2016 amendment)",
               ("Sex",)),
        Column("document_type", "Document type", "证件类型", "doctype", True,
               f"{box} 'Nature of identity document'", ("Nature of identity document",
                                                       "Type of identity document")),
        Column("document_number", "Document number", "证件号码", "text", True,
               f"{box} 'Serial number of identity document'",
               ("Passport number", "Passport No", "Serial number of identity document", "护照号码")),
        Column("issuing_state", "Issuing state", "签发国", "country", True,
               f"{box} 'Issuing State of identity document'",
               ("Issuing State of identity document", "Issuing country", "签发国家")),
        Column("expiry_date", "Expiry date", "有效期至", "date", True,
               f"{box} 'Expiry date of identity document'",
               ("Expiry date of identity document", "Date of expiry", "证件有效期", "有效期")),
        Column("embarkation_port", "Port of embarkation", "登船港", "locode", not crew,
               f"{box} 'Port of embarkation'" if not crew else "FAL 5 (port where the member joined)",
               ("登船港口",)),
    ]
    if not crew:
        cols += [
            Column("disembarkation_port", "Port of disembarkation", "下船港", "locode", True,
                   "FAL 6 'Port of disembarkation'", ("下船港口",)),
            Column("transit", "Transit", "过境", "bool", False,
                   "FAL 6 'Transit passenger or not'", ("Transit passenger", "是否过境")),
        ]
    cols += [
        Column("visa_number", "Visa number", "签证号码", "text", False,
               f"{box} 'Visa number, if appropriate'", ("Visa No", "签证号")),
        Column("mrz", "MRZ", "机读码", "mrz", False,
               "ICAO 9303 machine readable zone of the document (not on the FAL form)",
               ("Machine readable zone", "机读区"), in_template=False),
    ]
    return cols


GENERAL = [
    Column("vessel_name", "Name of ship", "船名", "text", True, "FAL 1 box 1.1 'Name of ship'",
           ("Vessel name", "Ship name")),
    Column("imo", "IMO number", "IMO编号", "imo", True, "FAL 1 box 1.2 'IMO number'", ("IMO", "IMO号")),
    Column("mmsi", "MMSI", "MMSI", "mmsi", False, "Compendium: ship's MMSI (not on FAL 1)",
           ("水上移动业务标识",)),
    Column("call_sign", "Call sign", "呼号", "callsign", True, "FAL 1 box 1.3 'Call sign'"),
    Column("flag", "Flag State", "船旗国", "country", True, "FAL 1 box 5 'Flag State of ship'",
           ("Flag", "Flag State of ship", "船籍")),
    Column("voyage_number", "Voyage number", "航次", "text", True, "FAL 1 box 1.4 'Voyage number'",
           ("Voyage", "航次号")),
    Column("arrival_port", "Port of arrival", "到达港", "locode", True,
           "FAL 1 box 3 'Port of arrival/departure'", ("到港",)),
    Column("eta", "Arrival date and time", "抵港时间", "datetime", True,
           "FAL 1 box 4 'Date - time of arrival/departure'", ("ETA", "预计抵港时间")),
    Column("etd", "Departure date and time", "离港时间", "datetime", False,
           "FAL 1 box 4 'Date - time of arrival/departure'", ("ETD", "预计离港时间")),
    Column("last_port", "Last port of call", "上一港", "locode", True, "FAL 1 box 8 'Last port of call'",
           ("Last port", "上一挂靠港")),
    Column("next_port", "Next port of call", "下一港", "locode", False, "FAL 1 box 8 'Next port of call'",
           ("Next port", "下一挂靠港")),
    Column("crew_count", "Number of crew", "船员人数", "count", True, "FAL 1 box 13 'Number of crew'"),
    Column("passenger_count", "Number of passengers", "旅客人数", "count", True,
           "FAL 1 box 14 'Number of passengers'"),
    Column("master_name", "Name of master", "船长姓名", "text", True, "FAL 1 box 6 'Name of master'",
           ("Master", "Master's name", "船长")),
    Column("agent", "Ship's agent", "船舶代理", "text", False,
           "FAL 1 box 7 'Name and contact details of ship's agent'", ("Agent", "代理")),
]

STORES = [
    Column("no", "No", "序号", "count", False, "FAL 3 row number"),
    Column("article", "Name of article", "物品名称", "text", True, "FAL 3 'Name of article'",
           ("Article", "物品")),
    Column("quantity", "Quantity", "数量", "quantity", True, "FAL 3 'Quantity'"),
    Column("unit", "Unit", "单位", "text", True, "FAL 3 'Quantity' (unit of measure)"),
    Column("location", "Location on board", "船上存放位置", "text", False, "FAL 3 'Location on board'",
           ("Location", "存放位置")),
]

EFFECTS = [
    Column("no", "No", "序号", "count", False, "FAL 4 row number"),
    Column("family_name", "Family name", "姓", "text", True, "FAL 4 'Family name, given names'",
           ("Surname", "姓氏")),
    Column("given_names", "Given names", "名", "text", False, "FAL 4 'Family name, given names'"),
    Column("rank", "Rank or rating", "职务", "text", True, "FAL 4 'Rank or rating'", ("Rank",)),
    Column("description", "Description of effects", "物品描述", "text", True,
           "FAL 4 'Effects ineligible for relief from customs duties and taxes or subject to "
           "prohibitions or restrictions'", ("Effects", "物品")),
    Column("quantity", "Quantity", "数量", "quantity", True, "FAL 4 (quantity of the effects)"),
]

DANGEROUS_GOODS = [
    Column("no", "No", "序号", "count", False, "FAL 7 'Reference number'", ("Reference number",)),
    Column("un_number", "UN number", "联合国编号", "un", True, "FAL 7 'UN number'", ("UN No", "UN编号")),
    Column("shipping_name", "Proper shipping name", "正确运输名称", "text", True,
           "FAL 7 'Proper shipping name'", ("Shipping name", "运输名称")),
    Column("dg_class", "Class", "类别", "dgclass", True, "FAL 7 'Class'", ("IMDG class", "危规类别")),
    Column("packing_group", "Packing group", "包装类", "pg", False, "FAL 7 'Packing group'",
           ("PG", "包装类别")),
    Column("quantity", "Quantity", "数量", "quantity", True, "FAL 7 'Mass (kg) gross/net'"),
    Column("unit", "Unit", "单位", "text", True, "FAL 7 (kg or l)"),
    Column("stowage", "Stowage position", "积载位置", "text", False,
           "FAL 7 'Stowage position on board'", ("Stowage position on board",)),
]

# Maritime Declaration of Health, IHR (2005) Annex 8: the master's answers (one row) and its
# attachment, the particulars of every case of illness or death on board (one row a person).
_Q = "IHR Annex 8 health question"
HEALTH = [
    Column("ports_last_30_days", "Ports of call in the last 30 days", "近30天挂靠港", "text", True,
           "IHR Annex 8 'List of ports of call from commencement of voyage with dates of "
           "departure, or within past thirty days, whichever is shorter'",
           ("Ports of call", "挂靠港及离港日期")),
    Column("sanitation_certificate", "Ship sanitation certificate", "船舶卫生证书", "text", False,
           "IHR Annex 8 'Valid Sanitation Control Exemption/Control Certificate carried on "
           "board? Issued at ... date ...'", ("Sanitation certificate", "卫生证书")),
    Column("affected_area", "Visited an affected area", "到访受染地区", "bool", True,
           "IHR Annex 8 'Has ship/vessel visited an affected area identified by the World "
           "Health Organization?'", ("Affected area",)),
    Column("deaths", "Deaths on board", "船上死亡", "bool", True,
           f"{_Q} 1 'Has any person died on board during the voyage otherwise than as a result "
           "of accident?'", ("Deaths",)),
    Column("deaths_count", "Number of deaths", "死亡人数", "count", False,
           f"{_Q} 1 'If yes, state particulars in attached schedule. Total no. of deaths'"),
    Column("infectious_suspected", "Suspected infectious disease", "疑似传染病", "bool", True,
           f"{_Q} 2 'Is there on board or has there been during the international voyage any "
           "case of disease which you suspect to be of an infectious nature?'"),
    Column("ill_above_normal", "More ill persons than normal", "患病人数超常", "bool", True,
           f"{_Q} 3 'Has the total number of ill passengers during the voyage been greater than "
           "normal/expected?'"),
    Column("ill_count", "Number of ill persons", "患病人数", "count", False,
           f"{_Q} 3 'How many ill persons?'"),
    Column("ill_now", "Ill persons on board now", "现有患病人员", "bool", True,
           f"{_Q} 4 'Is there any ill person on board now?'"),
    Column("medical_consulted", "Medical practitioner consulted", "曾咨询医生", "bool", True,
           f"{_Q} 5 'Was a medical practitioner consulted?'"),
    Column("infection_condition", "Condition that may spread infection", "可能传播疾病的情况",
           "bool", True, f"{_Q} 6 'Are you aware of any condition on board which may lead to "
           "infection or spread of disease?'"),
    Column("sanitary_measures", "Sanitary measures applied", "已采取卫生措施", "bool", True,
           f"{_Q} 7 'Has any sanitary measure (e.g. quarantine, isolation, disinfection or "
           "decontamination) been applied on board?'"),
    Column("sanitary_details", "Sanitary measures: type, place and date", "卫生措施类型、地点和日期",
           "text", False, f"{_Q} 7 'If yes, specify type, place and date'"),
    Column("stowaways", "Stowaways found", "发现偷渡者", "bool", True,
           f"{_Q} 8 'Have any stowaways been found on board?'"),
    Column("stowaways_joined", "Where stowaways joined", "偷渡者登船地点", "text", False,
           f"{_Q} 8 'If yes, where did they join the ship?'"),
    Column("sick_animals", "Sick animal or pet on board", "船上有患病动物", "bool", True,
           f"{_Q} 9 'Is there a sick animal or pet on board?'"),
    Column("master_name", "Name of master", "船长姓名", "text", True,
           "IHR Annex 8 'Signed: Master'", ("Master", "船长")),
]
HEALTH_ILL = [
    Column("no", "No", "序号", "count", False, "IHR Annex 8 attachment row"),
    Column("name", "Name", "姓名", "text", True, "IHR Annex 8 attachment 'Name'"),
    Column("rank", "Class or rating", "类别或职务", "text", True,
           "IHR Annex 8 attachment 'Class or rating'", ("Rank", "Rank or rating")),
    Column("age", "Age", "年龄", "count", True, "IHR Annex 8 attachment 'Age'"),
    Column("gender", "Gender", "性别", "gender", True, "IHR Annex 8 attachment 'Sex'", ("Sex",)),
    Column("nationality", "Nationality", "国籍", "country", True,
           "IHR Annex 8 attachment 'Nationality'"),
    Column("port_joined", "Port joined", "登船港", "locode", True,
           "IHR Annex 8 attachment 'Port, date joined ship/vessel'"),
    Column("date_joined", "Date joined", "登船日期", "date", True,
           "IHR Annex 8 attachment 'Port, date joined ship/vessel'"),
    Column("illness", "Nature of illness", "疾病性质", "text", True,
           "IHR Annex 8 attachment 'Nature of illness'", ("Illness",)),
    Column("onset_date", "Date of onset of symptoms", "症状出现日期", "date", True,
           "IHR Annex 8 attachment 'Date of onset of symptoms'", ("Onset",)),
    Column("reported", "Reported to a port medical officer", "已报告港口医务官", "bool", True,
           "IHR Annex 8 attachment 'Reported to a port medical officer?'"),
    Column("disposal", "Disposal of case", "处置情况", "text", True,
           "IHR Annex 8 attachment 'Disposal of case'", ("Disposal",)),
    Column("treatment", "Drugs or treatment given", "药物或治疗", "text", False,
           "IHR Annex 8 attachment 'Drugs, medicines or other treatment given to patient'"),
    Column("comments", "Comments", "备注", "text", False, "IHR Annex 8 attachment 'Comments'"),
]
HEALTH_FORMS = {"health": HEALTH, "health_ill": HEALTH_ILL}

FORMS: dict[str, list[Column]] = {
    "crew": _person("crew", crew=True),
    "passengers": _person("passengers", crew=False),
    "general": GENERAL,
    "stores": STORES,
    "effects": EFFECTS,
    "dg": DANGEROUS_GOODS,
    # FAL 5 and 6 again for departure: the same columns, compared with the arrival lists
    "crew_out": _person("crew", crew=True),
    "passengers_out": _person("passengers", crew=False),
    **HEALTH_FORMS,
}
FAL_NUMBER = {"general": "FAL 1", "stores": "FAL 3", "effects": "FAL 4", "crew": "FAL 5",
              "passengers": "FAL 6", "dg": "FAL 7", "crew_out": "FAL 5 departure",
              "passengers_out": "FAL 6 departure", "health": "MDH",
              "health_ill": "MDH attachment"}
# Uploaded through the arrival declaration path; the departure lists and the health
# declaration have their own (clearance/departure, clearance/health), with their own states
# and readers.
ARRIVAL_FORMS = ("crew", "passengers", "general", "stores", "effects", "dg")
DEPARTURE_FORMS = {"crew": "crew_out", "passengers": "passengers_out"}


def normalise(heading: str) -> str:
    """The floor's heading match (``core.tabular``): 'Family  name:', 'FAMILY-NAME', full-width
    forms and a parenthesised hint ('Family name (姓)') all match; Chinese keeps its characters."""
    return tabular_normalise(heading)


def heading_index(form: str) -> dict[str, Column]:
    """Every spelling: English, Chinese, both ('姓 Family name', as bilingual templates write
    them) and the aliases."""
    index: dict[str, Column] = {}
    for column in FORMS[form]:
        for name in (column.en, column.zh, f"{column.zh} {column.en}", *column.aliases):
            index.setdefault(normalise(name), column)
    return index
