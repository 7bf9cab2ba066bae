"""The two upload forms read and checked: what the person entered (to show the form again as it
was), a message per field that cannot be used, and the checked values for the analysis."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nutrigap.analyzer.errors import NutrigapError
from nutrigap.web.limits import MAX_NAME_BYTES

SEXES = {"female": "Female", "male": "Male"}
STAGES = {"": "Neither", "pregnant": "Pregnant", "lactating": "Breastfeeding"}
PAPERS = {"a4": "A4", "letter": "US Letter"}
OUTPUTS = ("pdf", "html")
CASELOAD_FORMATS = {"pdf": "PDF", "json": "JSON", "csv": "CSV (per day)", "html": "HTML"}
LOG_SUFFIXES = (".csv", ".tsv", ".txt")
TARGET_SUFFIXES = (".csv", ".toml")
# Names the caseload's working folder uses for itself.
RESERVED_NAMES = ("clients.csv", "logs", "reports")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name it had on the person's computer, and its bytes."""

    name: str
    data: bytes

    @property
    def stem(self) -> str:
        return self.name.rsplit(".", 1)[0] if "." in self.name else self.name


@dataclass
class AnalysisForm:
    """The single-log form: the values as entered, a message per bad field, the checked parts."""

    values: dict
    errors: dict[str, str] = field(default_factory=dict)
    log: Upload | None = None
    profile: object | None = None  # analyzer.targets.Profile once checked

    @property
    def ok(self) -> bool:
        return not self.errors

    def choices(self) -> dict:
        """What the worker needs besides the file (plain, picklable values)."""
        return {"profile": self.profile, "diet": self.values["diet"],
                "exclude": exclusions(self.values["exclude"]), "paper": self.values["paper"],
                "output": self.values["output"]}


@dataclass
class CaseloadForm:
    """The dietitian's form: logs, clients.csv, target files and the report formats."""

    values: dict
    errors: dict[str, str] = field(default_factory=dict)
    logs: list[Upload] = field(default_factory=list)
    clients: Upload | None = None
    targets: list[Upload] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def file_name(raw: str | None) -> str:
    """The last part of an uploaded file's name (some browsers send a whole Windows path)."""
    return re.split(r"[\\/]", raw or "")[-1].strip()


def _uploads(files, name: str) -> list[Upload]:
    chosen = []
    for storage in files.getlist(name):
        shown = file_name(storage.filename)
        if shown:  # a file input left empty still sends a part with no file name
            chosen.append(Upload(shown, storage.read()))
    return chosen


def exclusions(text: str) -> list[str]:
    """'liver, peanut' -> ['liver', 'peanut']."""
    return [w.strip() for w in re.split(r"[,;\n]", text or "") if w.strip()]


def empty_analysis_values() -> dict:
    """The single-log form as it first appears."""
    return {"age": "", "sex": "", "stage": "", "weight_kg": "", "diet": [], "exclude": "",
            "paper": "a4", "output": "pdf", "filename": ""}


def read_analysis_form(form, files) -> AnalysisForm:
    """Check the single-log form; every field that cannot be used gets its own message."""
    from nutrigap.analyzer.scoring import Profile
    from nutrigap.analyzer.suggestions import normalise_diet

    values = empty_analysis_values()
    values.update({key: form.get(key, values[key]).strip() for key in
                   ("age", "sex", "stage", "weight_kg", "exclude", "paper", "output")})
    values["diet"] = [d for d in form.getlist("diet") if d.strip()]
    checked = AnalysisForm(values)
    errors = checked.errors
    logs = _uploads(files, "log")
    if logs:
        checked.log = logs[0]
        values["filename"] = logs[0].name
    else:
        errors["log"] = "choose a meal log to upload (a CSV file, or a Cronometer servings.csv)"
    if not values["age"]:
        errors["age"] = "enter the age in years, e.g. 34 (1.5 for 18 months)"
    if values["sex"] not in SEXES:
        errors["sex"] = "choose female or male (the targets differ by sex from age 9)"
    if values["stage"] not in STAGES:
        errors["stage"] = "choose pregnant, breastfeeding or neither"
    if values["paper"] not in PAPERS:
        errors["paper"] = "choose A4 or US Letter"
    if values["output"] not in OUTPUTS:
        values["output"] = "pdf"
    try:
        values["diet"] = [normalise_diet(d) for d in values["diet"]]
    except NutrigapError as exc:
        errors["diet"] = str(exc)
    if not {"age", "sex", "stage"} & errors.keys():
        try:
            # "34,5" with a decimal comma, as typed where that is the custom
            age, weight = (re.sub(r"^(\d+),(\d+)$", r"\1.\2", values[k])
                           for k in ("age", "weight_kg"))
            checked.profile = Profile(age=age, sex=values["sex"],
                                      pregnant=values["stage"] == "pregnant",
                                      lactating=values["stage"] == "lactating",
                                      weight_kg=weight or None)
        except NutrigapError as exc:
            errors["profile"] = str(exc)
    return checked


def empty_caseload_values() -> dict:
    """The caseload form as it first appears."""
    return {"formats": ["pdf"], "logs": [], "clients": "", "targets": []}


def read_caseload_form(form, files) -> CaseloadForm:
    """Check the caseload form: at least one log, a clients file, known report formats."""
    values = empty_caseload_values()
    values["formats"] = [f for f in form.getlist("formats") if f.strip()] or ["pdf"]
    checked = CaseloadForm(values)
    errors = checked.errors
    checked.logs = _uploads(files, "logs")
    values["logs"] = [u.name for u in checked.logs]
    clients = _uploads(files, "clients")
    checked.clients = clients[0] if clients else None
    values["clients"] = checked.clients.name if checked.clients else ""
    checked.targets = _uploads(files, "targets")
    values["targets"] = [u.name for u in checked.targets]
    unknown = [f for f in values["formats"] if f not in CASELOAD_FORMATS]
    if unknown:
        errors["formats"] = (f"{', '.join(unknown)} is not a report format; choose from "
                             f"{', '.join(CASELOAD_FORMATS)}")
    if not checked.logs:
        errors["logs"] = ("choose the clients' meal logs: one file per client, named after "
                          "the client, or one CSV with a client column")
    else:
        errors.update(_name_problems("logs", checked.logs, LOG_SUFFIXES,
                                     "save it as CSV from the spreadsheet"))
    if checked.clients is None:
        errors["clients"] = ("choose the clients file: a CSV with the columns client, age, "
                             "sex (and optionally pregnant, lactating, weight_kg, diet, "
                             "targets)")
    errors.update(_name_problems("targets", checked.targets, TARGET_SUFFIXES,
                                 "give target overrides as CSV (nutrient,value) or TOML",
                                 reserved=RESERVED_NAMES))
    return checked


def _name_problems(key: str, uploads: list[Upload], suffixes: tuple[str, ...],
                   fix: str, reserved: tuple[str, ...] = ()) -> dict[str, str]:
    """A message for the field when a file has the wrong kind of name or two share one."""
    messages = []
    for upload in uploads:
        size = len(upload.name.encode("utf-8"))
        if size > MAX_NAME_BYTES:
            messages.append(f'"{upload.name[:40]}..." has a name of {size} bytes; rename it '
                            f"shorter: a name may have up to {MAX_NAME_BYTES} bytes (as many "
                            "letters a-z, fewer accented letters or other scripts)")
        elif not upload.name.lower().endswith(suffixes):
            messages.append(f'"{upload.name}" is not a {" or ".join(suffixes)} file; {fix}')
        elif upload.name.startswith(".") or upload.name.lower() in reserved:
            messages.append(f'"{upload.name}" cannot be used as a file name here; rename it')
    names = [u.name for u in uploads]
    for name in sorted({n for n in names if names.count(n) > 1}):
        messages.append(f'"{name}" was chosen twice; choose each file once')
    return {key: "; ".join(messages)} if messages else {}
