"""Broken data maps: `skydd check` says where each problem is and what to do.

Every case starts from the valid map below and breaks one thing. The check must
exit 2 (the map cannot be used), never show a traceback, and point at the file,
the line a person has to change, the YAML path and a message or hint that says
what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skydd.checking import run_check
from skydd.cli import app

runner = CliRunner()

UNSET_VAR = "SKYDD_TEST_CRM_URL"

VALID = """\
version: 1
controller:
  name: Exempel AB
  org_number: 556677-8899
  email: privacy@exempel.se
  country: SE
  dpo: {name: Dana Dataskydd, email: dpo@exempel.se}
subjects:
  customer: {labels: Customer}
purposes:
  orders:
    labels: Deliver orders
    legal_basis: contract
    subjects: [customer]
systems:
  crm:
    url: sqlite:///crm.db
    tables:
      companies:
        shared: true
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: system.operations}
      contacts:
        subjects: [customer]
        purposes: [orders]
        primary_key: id
        columns:
          id: {category: user.unique_id, identity: customer_number}
          email: {category: user.contact.email, identity: email, anonymise: hash}
          company_id: {category: system.operations}
          last_contact: {category: system.operations}
          blocked: {category: system.operations}
        references:
          - {column: company_id, to: companies.id, shared: true}
        erasure: {action: delete}
retention:
  rules:
    contacts:
      tables: [crm.contacts]
      anchor: last_contact
      period: 7 years
      holds: [bookkeeping]
  holds:
    bookkeeping:
      labels: Bookkeeping duty
      law: Bokföringslagen (1999:1078) 7 kap. 2 §
      tables: [crm.contacts]
recipients:
  mailchimp:
    name: Mailchimp
    kind: processor
    country: IE
    categories: [user.contact.email]
    purposes: [orders]
    dpa: {reference: DPA 2024, signed: 2024-03-01}
"""


def swap(*pairs: str, text: str = VALID) -> str:
    """Replace each `old` by `new` in the valid map; each `old` must occur exactly once."""
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


@dataclass(frozen=True)
class Broken:
    text: str | bytes
    line: int | str
    """The line of the problem, or a text that first appears on that line."""
    path: str
    """The YAML path shown after 'at'; empty when the problem has none (broken YAML)."""
    says: tuple[str, ...]
    """Texts the problem's message and hint must contain."""

    def line_number(self) -> int:
        if isinstance(self.line, int):
            return self.line
        text = self.text.decode("utf-8", "replace") if isinstance(self.text, bytes) else self.text
        for number, line in enumerate(text.splitlines(), start=1):
            if self.line in line:
                return number
        raise AssertionError(f"{self.line!r} is not in the case's text")


def case(id: str, text: str | bytes, line: int | str, path: str, *says: str) -> pytest.ParameterSet:
    return pytest.param(Broken(text, line, path, says), id=id)


# One case a row or two: a table reads better than one argument a line.
# fmt: off
CASES = [
    # Broken YAML: the parser's complaint, placed on the line to fix.
    case("yaml-over-indented", swap("  org_number", "   org_number"), "org_number", "",
         "broken YAML", "indentation"),
    case("yaml-under-indented", swap("  email: privacy", " email: privacy"), "email: privacy",
         "", "broken YAML", "indentation"),
    case("yaml-unclosed-quote", swap("name: Exempel AB", 'name: "Exempel AB'), "Exempel AB", "",
         "quoted scalar", "close the quote"),
    case("yaml-tab", swap("  email: privacy", "\temail: privacy"), "email: privacy", "",
         "broken YAML", "tab"),
    case("yaml-unclosed-bracket", swap("\n    subjects: [customer]", "\n    subjects: [customer"),
         "    subjects: [customer", "", "flow sequence", "close the"),
    case("yaml-unclosed-brace", swap("email: dpo@exempel.se}", "email: dpo@exempel.se"),
         "dpo:", "", "flow mapping", "close the"),
    case("yaml-colon-in-value", swap("name: Exempel AB", "name: Exempel: AB"), "Exempel: AB", "",
         "mapping values are not allowed"),
    case("yaml-undefined-alias", swap("{labels: Customer}", "{labels: *customer}"),
         "*customer", "", "undefined alias"),
    case("yaml-python-tag", swap("{labels: Customer}", "{labels: !!python/name:os.system ''}"),
         "!!python", "subjects.customer.labels", "cannot read this value", "tag"),
    case("yaml-python-tag-on-list",
         swap("{labels: Customer}", "{labels: !!python/object/apply:os.system [ls]}"),
         "!!python", "subjects.customer.labels", "cannot read this value", "tag"),
    case("yaml-control-character", swap("Exempel AB", "Exempel\x07AB"), 3, "", "0x0007",
         "not allowed"),
    case("yaml-bad-merge", swap("  name: Exempel AB", "  <<: 5\n  name: Exempel AB"), "<<: 5",
         "controller", "cannot merge", "alias of a mapping"),
    case("yaml-complex-key", swap("  customer: {labels", "  [customer]: {labels"), "[customer]",
         "subjects", "key must be a plain value"),
    case("yaml-alias-loop", swap("{labels: Customer}", "{labels: &l {sv: Kund, en: *l}}"), "&l",
         "subjects.customer.labels.en", "refers to a value that contains it"),
    case("not-utf8", swap("law: Bokföringslagen", "law: Bokf\udcf6ringslagen").encode(
         "utf-8", "surrogateescape"), "law: Bokf", "", "not UTF-8", "save it as UTF-8"),
    # Keys.
    case("duplicate-key-top-level", VALID + "subjects:  # again\n  supplier: {labels: Supplier}\n",
         "# again", "subjects", "duplicate key 'subjects' (first given on line 8)"),
    case("duplicate-key-nested", swap("  country: SE\n", "  country: SE\n  country: DK\n"),
         "country: DK", "controller.country", "duplicate key 'country' (first given on line 6)"),
    case("duplicate-key-flow", swap("{labels: Customer}", "{labels: Customer, labels: Kund}"),
         "labels: Kund", "subjects.customer.labels", "duplicate key 'labels'"),
    case("invalid-name-key", swap("      contacts:\n", "      my contacts:\n"), "my contacts",
         "systems.crm.tables.my contacts", "'my contacts' is not a valid name", "letters, digits"),
    # The whole file.
    case("empty-file", "", 1, "", "the file is empty", "controller:"),
    case("only-comments", "# privacy.yaml, to be written\n", 1, "", "the file is empty"),
    case("top-level-list", "- controller\n- systems\n", 1, "",
         "top level must be a mapping, found a list"),
    case("top-level-text", "our privacy policy\n", 1, "",
         "top level must be a mapping, found 'our privacy policy'"),
    # Values of the wrong kind.
    case("text-where-mapping", swap("dpo: {name: Dana Dataskydd, email: dpo@exempel.se}",
                                    "dpo: Dana Dataskydd"),
         "dpo:", "controller.dpo", "expected a mapping", "found 'Dana Dataskydd'"),
    case("list-where-mapping", swap("customer: {labels: Customer}", "customer: [Customer]"),
         "customer: [Customer]", "subjects.customer", "expected a mapping", "found a list"),
    case("mapping-where-text", swap("url: sqlite:///crm.db", "url: {file: crm.db}"),
         "url:", "systems.crm.url", "expected a text, found a mapping", "SQLAlchemy URL"),
    case("number-where-bool", swap("shared: true\n", "shared: 5\n"), "shared: 5",
         "systems.crm.tables.companies.shared", "expected true or false, found 5"),
    case("text-where-list", swap("tables: [crm.contacts]\n      anchor",
                                 "tables: crm.contacts\n      anchor"),
         "tables: crm.contacts", "retention.rules.contacts.tables", "expected a list",
         "found 'crm.contacts'"),
    case("bad-date", swap("signed: 2024-03-01", "signed: last spring"), "last spring",
         "recipients.mailchimp.dpa.signed", "expected a date (YYYY-MM-DD)", "found 'last spring'"),
    case("unsupported-version", swap("version: 1", "version: 2"), 1, "version", "found 2"),
    # Unknown fields, with the field meant.
    case("unknown-field", swap("  country: SE", "  contry: SE"), "contry", "controller.contry",
         "unknown field 'contry'", "did you mean 'country'?"),
    case("unknown-table-field", swap("        columns:\n          id: {category: user",
                                     "        colums:\n          id: {category: user"),
         "colums", "systems.crm.tables.contacts.colums", "unknown field 'colums'",
         "did you mean 'columns'?"),
    case("unknown-top-level-field", swap("recipients:", "recipient:"), "recipient:",
         "recipient", "unknown field 'recipient'", "did you mean 'recipients'?"),
    case("unknown-language", swap("{labels: Customer}", "{labels: {sv: Kund, fr: Client}}"),
         "fr: Client", "subjects.customer.labels.fr", "unknown field 'fr'", "da, en, sv"),
    # Required fields.
    case("missing-controller-name", swap("  name: Exempel AB\n", ""), "controller:",
         "controller", "required field 'name' is missing", "add 'name:' under controller"),
    case("missing-controller-country", swap("  country: SE\n", ""), "controller:", "controller",
         "required field 'country' is missing", "add 'country:'"),
    case("missing-column-category",
         swap("email: {category: user.contact.email, identity: email, anonymise: hash}",
              "email: {identity: email, anonymise: hash}"),
         "email: {identity", "systems.crm.tables.contacts.columns.email",
         "required field 'category' is missing"),
    case("missing-recipient-country", swap("    country: IE\n", ""), "  mailchimp:",
         "recipients.mailchimp", "required field 'country' is missing"),
    case("missing-system-url", swap("    url: sqlite:///crm.db\n", ""), "  crm:", "systems.crm",
         "required field 'url' is missing", "add 'url:' under systems.crm"),
    # Values outside what the field allows.
    case("unknown-legal-basis", swap("legal_basis: contract", "legal_basis: contrakt"),
         "contrakt", "purposes.orders.legal_basis", "found 'contrakt'",
         "did you mean 'contract'?"),
    case("unknown-recipient-kind", swap("kind: processor", "kind: processer"), "processer",
         "recipients.mailchimp.kind", "found 'processer'", "did you mean 'processor'?"),
    case("bad-period", swap("period: 7 years", "period: seven years"), "seven years",
         "retention.rules.contacts.period", "found 'seven years'", "'7 years'"),
    case("invalid-anonymise", swap("anonymise: hash", "anonymise: blur"), "blur",
         "systems.crm.tables.contacts.columns.email.anonymise", "found 'blur'",
         "'null', 'hash', 'scrub' or 'fixed:VALUE'"),
    case("country-not-a-code", swap("  country: SE", "  country: Sweden"), "Sweden",
         "controller.country", "found 'Sweden'", "ISO 3166"),
    case("anchor-given-twice",
         swap("anchor: last_contact", "anchor: {column: last_contact, latest_of: [blocked]}"),
         "latest_of", "retention.rules.contacts.anchor", "exactly one of 'column', 'latest_of'"),
    # Names the map uses but does not declare.
    case("unknown-data-category", swap("category: user.contact.email",
                                       "category: user.contact.emial"),
         "user.contact.emial", "systems.crm.tables.contacts.columns.email.category",
         "unknown data category 'user.contact.emial'", "did you mean 'user.contact.email'?"),
    case("unknown-identity-kind", swap("identity: email,", "identity: e-mail,"), "e-mail",
         "systems.crm.tables.contacts.columns.email.identity", "unknown identity kind 'e-mail'",
         "did you mean 'email'?"),
    case("unknown-purpose-in-table", swap("subjects: [customer]\n        purposes: [orders]",
                                          "subjects: [customer]\n        purposes: [order]"),
         "purposes: [order]", "systems.crm.tables.contacts.purposes[0]", "unknown purpose 'order'",
         "did you mean 'orders'?"),
    case("unknown-subject-in-purpose",
         swap("\n    subjects: [customer]", "\n    subjects: [customers]"),
         "subjects: [customers]", "purposes.orders.subjects[0]", "unknown subject 'customers'",
         "did you mean 'customer'?"),
    case("reference-to-missing-table", swap("to: companies.id", "to: company.id"), "company.id",
         "systems.crm.tables.contacts.references[0].to", "'company'",
         "did you mean 'companies'?"),
    case("reference-to-missing-column", swap("to: companies.id", "to: companies.idd"),
         "companies.idd", "systems.crm.tables.contacts.references[0].to",
         "unknown column", "'idd'", "crm.companies", "did you mean 'id'?"),
    case("reference-to-unknown-system", swap("to: companies.id", "to: erp.companies.id"),
         "erp.companies.id", "systems.crm.tables.contacts.references[0].to",
         "unknown system 'erp'", "crm"),
    case("reference-names-no-column", swap("to: companies.id", "to: companies"), "to: companies",
         "systems.crm.tables.contacts.references[0].to", "names no column", "'table.column'"),
    case("reference-column-not-in-table", swap("{column: company_id", "{column: compny_id"),
         "compny_id", "systems.crm.tables.contacts.references[0].columns[0]",
         "unknown column 'compny_id'", "did you mean 'company_id'?"),
    case("reference-column-count", swap("{column: company_id", "{columns: [company_id, blocked]"),
         "columns: [company_id, blocked]", "systems.crm.tables.contacts.references[0]",
         "2 column(s) point at 1 column(s)", "as many columns"),
    case("primary-key-not-in-columns",
         swap("primary_key: id\n        columns:\n          id: {category: user",
              "primary_key: contact_id\n        columns:\n          id: {category: user"),
         "contact_id", "systems.crm.tables.contacts.primary_key[0]",
         "unknown column 'contact_id'"),
    case("retention-rule-missing-table", swap("tables: [crm.contacts]\n      anchor",
                                              "tables: [crm.contact]\n      anchor"),
         "[crm.contact]", "retention.rules.contacts.tables[0]", "'contact'",
         "did you mean 'contacts'?"),
    case("retention-rule-missing-hold", swap("holds: [bookkeeping]", "holds: [bokkeeping]"),
         "bokkeeping", "retention.rules.contacts.holds[0]", "unknown hold 'bokkeeping'",
         "did you mean 'bookkeeping'?"),
    case("anchor-missing-column", swap("anchor: last_contact", "anchor: last_contacted"),
         "last_contacted", "retention.rules.contacts.anchor.column",
         "unknown column", "'last_contacted'", "did you mean 'last_contact'?"),
    case("erasure-hold-without-hold", swap("erasure: {action: delete}", "erasure: {action: hold}"),
         "action: hold", "systems.crm.tables.contacts.erasure", "action 'hold' needs the hold",
         "add 'hold:"),
    case("erasure-unknown-hold", swap("erasure: {action: delete}",
                                      "erasure: {action: hold, hold: bokkeeping}"),
         "bokkeeping", "systems.crm.tables.contacts.erasure.hold", "unknown hold 'bokkeeping'",
         "did you mean 'bookkeeping'?"),
    case("erasure-flag-not-a-column", swap("erasure: {action: delete}",
                                           "erasure: {action: keep, flag_column: blockd}"),
         "blockd", "systems.crm.tables.contacts.erasure.flag_column", "unknown column 'blockd'",
         "did you mean 'blocked'?"),
    case("processor-not-a-recipient",
         swap("crm.db\n", "crm.db\n    processor: mailchimpp\n"),
         "mailchimpp", "systems.crm.processor", "unknown recipient 'mailchimpp'",
         "did you mean 'mailchimp'?"),
    case("recipient-unknown-purpose", swap("    purposes: [orders]\n    dpa",
                                           "    purposes: [marketing]\n    dpa"),
         "[marketing]", "recipients.mailchimp.purposes[0]", "unknown purpose 'marketing'",
         "orders"),
    case("missing-env-var", swap("url: sqlite:///crm.db", f"url: ${{{UNSET_VAR}}}"), UNSET_VAR,
         "systems.crm.url", f"environment variable {UNSET_VAR} is not set",
         f"${{{UNSET_VAR}:-value}}"),
    case("unknown-controller-country", swap("  country: SE", "  country: QQ"), "QQ",
         "controller.country", "unknown country 'QQ'"),
]
# fmt: on


def _problems(output: str, file: Path) -> list[str]:
    """Each problem the check printed, with its hint: 'file:LINE:COL at path: message'."""
    problems: list[str] = []
    for line in output.splitlines():
        if line.startswith(f"{file}:"):
            problems.append(line)
        elif line.startswith("  hint:") and problems:
            problems[-1] += "\n" + line
    return problems


def _write(tmp_path: Path, text: str | bytes) -> Path:
    file = tmp_path / "privacy.yaml"
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    return file


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UNSET_VAR, raising=False)
    monkeypatch.delenv("SKYDD_MAP", raising=False)


def _line(text: str, needle: str) -> int:
    return Broken(text, needle, "", ()).line_number()


def test_the_valid_map_is_clean(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--map", str(_write(tmp_path, VALID))])
    assert result.exit_code == 0, result.output


def test_the_cases_are_distinct() -> None:
    texts = [p.values[0].text for p in CASES]
    assert len(set(texts)) == len(texts) >= 35


@pytest.mark.parametrize("broken", CASES)
def test_broken_map_is_reported_where_it_is(broken: Broken, tmp_path: Path) -> None:
    file = _write(tmp_path, broken.text)
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = broken.line_number()
    at = f" at {broken.path}: " if broken.path else ": "
    problems = _problems(result.output, file)
    matching = [
        p
        for p in problems
        if p.startswith(f"{file}:{line}:")
        and at in p.split("\n")[0]
        and (broken.path or " at " not in p.split("\n")[0])
    ]
    assert matching, f"nothing reported on line {line}{at!r}:\n{result.output}"
    for text in broken.says:
        assert any(text in p for p in matching), f"{text!r} not in:\n{result.output}"


def test_env_var_default_is_used(tmp_path: Path) -> None:
    text = swap("url: sqlite:///crm.db", f"url: ${{{UNSET_VAR}:-sqlite:///crm.db}}")
    result = runner.invoke(app, ["check", "--map", str(_write(tmp_path, text))])
    assert result.exit_code in (0, 1), result.output


def test_env_var_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UNSET_VAR, "sqlite:///crm.db")
    text = swap("url: sqlite:///crm.db", f"url: ${{{UNSET_VAR}}}")
    result = runner.invoke(app, ["check", "--map", str(_write(tmp_path, text))])
    assert result.exit_code in (0, 1), result.output


def test_merge_keys_may_be_overridden(tmp_path: Path) -> None:
    text = swap(
        "  customer: {labels: Customer}",
        "  customer: &subject {labels: Customer, description: Buys from us}\n"
        "  supplier: &supplier\n    <<: *subject\n    labels: Supplier\n  partner: *supplier",
    )
    report = run_check(_write(tmp_path, text))
    assert report.exit_code == 0, [i.render() for i in report.issues]
    assert report.loaded is not None
    subjects = report.loaded.datamap.subjects
    assert subjects["supplier"] == subjects["partner"]  # an alias of a merged mapping
    assert subjects["supplier"].labels.en == "Supplier"
    description = subjects["supplier"].description
    assert description is not None and description.en == "Buys from us"


def test_aliases_that_expand_too_far(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("skydd.datamap.loader._MAX_VALUES", 1000)
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 5)]
    file = _write(tmp_path, "\n".join(bomb) + "\n")
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 2
    assert "aliases (*name) make this file hold over 1,000 values" in result.output


def test_file_not_found(tmp_path: Path) -> None:
    file = tmp_path / "nowhere.yaml"
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{file}: file not found" in result.output
    assert "skydd init" in result.output


def test_directory_as_map(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--map", str(tmp_path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    # Click's message, in a box that Rich wraps anywhere: compare without the layout.
    squeeze = "".join(result.output.replace("│", "").split())
    assert "".join(f"'{tmp_path}' is a directory".split()) in squeeze


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    text = swap(
        "  country: SE",
        "  contry: SE",
        "period: 7 years",
        "period: seven years",
        "url: sqlite:///crm.db",
        f"url: ${{{UNSET_VAR}}}",
        "shared: true\n",
        "shared: 5\n",
        "kind: processor",
        "kind: processer",
    )
    file = _write(tmp_path, text)
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 2
    problems = _problems(result.output, file)
    assert len(problems) == 6, result.output  # contry is unknown and country missing
    assert "(6 problems)" in result.output
    for path in (
        "controller.contry",
        "controller",
        "retention.rules.contacts.period",
        "systems.crm.url",
        "systems.crm.tables.companies.shared",
        "recipients.mailchimp.kind",
    ):
        assert any(f" at {path}: " in p for p in problems), path


def test_every_unknown_name_in_a_file_is_reported(tmp_path: Path) -> None:
    text = swap(
        "\n    subjects: [customer]",
        "\n    subjects: [customers]",
        "to: companies.id",
        "to: company.id",
        "holds: [bookkeeping]",
        "holds: [bokkeeping]",
        "category: user.contact.email",
        "category: user.contact.emial",
    )
    file = _write(tmp_path, text)
    result = runner.invoke(app, ["check", "--map", str(file)])
    assert result.exit_code == 2
    problems = _problems(result.output, file)
    assert len(problems) == 4, result.output
    lines = {_line(text, t) for t in ("[customers]", "emial", "company.id", "bokkeeping")}
    assert {int(p.split(":")[1]) for p in problems} == lines


def test_json_output_of_a_broken_map(tmp_path: Path) -> None:
    text = swap("period: 7 years", "period: seven years")
    file = _write(tmp_path, text)
    result = runner.invoke(app, ["check", "--map", str(file), "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["exit_code"] == 2
    assert report["findings"] == []
    [error] = report["errors"]
    assert error["line"] == _line(text, "seven years")
    assert error["file"] == str(file)
    assert error["path"] == "retention.rules.contacts.period"
    assert "seven years" in error["message"]
    assert error["hint"]
