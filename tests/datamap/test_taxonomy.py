"""The data category taxonomy: fideslang keys, three languages, GDPR flags."""

from __future__ import annotations

import pytest

from skydd.datamap import taxonomy
from skydd.datamap.taxonomy import LANGUAGES, Category, Taxonomy


def cat(key: str) -> Category:
    found = taxonomy.get(key)
    assert found is not None, key
    return found


# A sample of fideslang 3.2.0 default keys that maps in the wild use.
FIDESLANG_KEYS = [
    "user.contact.email",
    "user.contact.phone_number",
    "user.contact.address.street",
    "user.contact.address.postal_code",
    "user.contact.address.city",
    "user.contact.address.country",
    "user.contact.organization",
    "user.name",
    "user.name.first",
    "user.name.last",
    "user.government_id.national_identification_number",
    "user.financial.bank_account",
    "user.financial.credit_card",
    "user.device.ip_address",
    "user.device.device_id",
    "user.device.cookie_id",
    "user.device.telemetry",
    "user.authorization.credentials",
    "user.authorization.password",
    "user.account.username",
    "user.behavior.purchase_history",
    "user.behavior.browsing_history",
    "user.location.precise",
    "user.location.imprecise",
    "user.content.private",
    "user.content.self_image",
    "user.health_and_medical",
    "user.health.genetic",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.political_opinion",
    "user.demographic.sexual_orientation",
    "user.demographic.union_membership",
    "user.biometric",
    "user.criminal_history",
    "user.privacy_preferences",
    "user.unique_id",
    "user.unique_id.pseudonymous",
    "user.workplace",
    "user.job_title",
    "system",
    "system.operations",
    "system.authentication",
]


def test_fideslang_keys_are_known() -> None:
    for key in FIDESLANG_KEYS:
        category = taxonomy.get(key)
        assert category is not None, key
        assert category.source == "fideslang"


def test_every_parent_exists() -> None:
    for key in taxonomy.all_keys():
        category = taxonomy.get(key)
        assert category is not None
        if category.parent is None:
            assert "." not in key
        else:
            assert taxonomy.is_known(category.parent), key
            assert key.startswith(category.parent + ".")


def test_every_key_has_labels_in_sv_en_da() -> None:
    for key in taxonomy.all_keys():
        category = taxonomy.get(key)
        assert category is not None
        for lang in LANGUAGES:
            label = category.labels.get(lang)
            assert label and label.strip() == label and label[0].isupper(), (key, lang)
            assert taxonomy.labels(key, lang) == label


def test_natural_labels() -> None:
    assert taxonomy.labels("user.contact.email", "sv") == "E-postadress"
    assert taxonomy.labels("user.contact.email", "da") == "E-mailadresse"
    assert taxonomy.labels("user.contact.email", "en") == "Email address"


def test_labels_fall_back_to_the_nearest_ancestor_and_to_english() -> None:
    assert taxonomy.labels("user.contact.email.work", "sv") == "E-postadress"
    assert taxonomy.labels("user.contact.email", "de") == "Email address"
    assert taxonomy.labels("nothing.known", "sv") == "nothing.known"


def test_deprecated_keys_point_at_their_replacement() -> None:
    for key in taxonomy.all_keys():
        category = taxonomy.get(key)
        assert category is not None
        if category.replaced_by is not None:
            assert taxonomy.is_known(category.replaced_by), key
            assert cat(category.replaced_by).replaced_by is None
    assert cat("user.job_title").replaced_by == "user.professional_information.job_title"


def test_personal_means_under_user() -> None:
    for key in taxonomy.all_keys():
        assert taxonomy.is_personal(key) == (key == "user" or key.startswith("user.")), key
    assert taxonomy.is_personal("user.something.new")
    assert not taxonomy.is_personal("system.operations")


@pytest.mark.parametrize(
    "key",
    [
        "user.health",
        "user.health_and_medical",
        "user.health.genetic",
        "user.health.medications",
        "user.biometrics.fingerprint",
        "user.biometric",
        "user.authorization.biometrics",
        "user.demographic.race_ethnicity",
        "user.demographic.religious_belief",
        "user.demographic.philosophical_belief",
        "user.demographic.political_opinion",
        "user.demographic.sexual_orientation",
        "user.demographic.union_membership",
    ],
)
def test_special_categories(key: str) -> None:
    assert taxonomy.is_special(key)
    assert cat(key).special


def test_not_special() -> None:
    for key in ["user.contact.email", "user.demographic.gender", "user.criminal_history"]:
        assert not taxonomy.is_special(key), key
    assert taxonomy.is_special("user.health.something_new")  # an ancestor is special


def test_criminal_data_is_flagged_separately() -> None:
    category = taxonomy.get("user.criminal_history")
    assert category is not None and category.criminal and not category.special
    assert taxonomy.is_criminal("user.criminal_history")
    assert not taxonomy.is_criminal("user.contact.email")


def test_identifier_kinds() -> None:
    def kind(key: str) -> str:
        category = taxonomy.get(key)
        assert category is not None
        return category.identifier

    for key in [
        "user.name",
        "user.contact.email",
        "user.contact.phone_number",
        "user.government_id.national_identification_number",
        "user.financial.bank_account",
    ]:
        assert kind(key) == "direct", key
    for key in [
        "user.contact.address.postal_code",
        "user.demographic.date_of_birth",
        "user.professional_information.job_title",
        "user.demographic.gender",
        "user.contact.address.city",
        "user.device.ip_address",
    ]:
        assert kind(key) == "quasi", key
    assert kind("user.behavior.purchase_history") == "none"


def test_skydd_extensions_are_marked() -> None:
    for key in [
        "user.financial.bankgiro",
        "user.financial.plusgiro",
        "user.financial.credit_report",
        "user.device.imei",
        "user.device.mac_address",
    ]:
        category = taxonomy.get(key)
        assert category is not None and category.source == "skydd", key
        assert category.personal


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("user.contact.emial", "user.contact.email"),
        ("user.email", "user.contact.email"),
        ("user.contact.adress.street", "user.contact.address.street"),
        ("user.genetic", "user.health.genetic"),
        ("user.personnummer", "user.government_id.national_identification_number"),
    ],
)
def test_suggest(typo: str, expected: str) -> None:
    assert taxonomy.suggest(typo)[0] == expected
    assert len(taxonomy.suggest(typo, n=2)) <= 2


def test_is_known_with_extra_keys() -> None:
    assert not taxonomy.is_known("user.loyalty.tier")
    assert taxonomy.is_known("user.loyalty.tier", extra=["user.loyalty.tier"])


def test_extra_categories_inherit_flags_and_labels() -> None:
    extra = [
        Category("user.health.allergy", {"sv": "Allergier", "en": "Allergies"}, "user.health"),
        Category("user.loyalty", {"en": "Loyalty"}, "user"),
        Category("user.loyalty.tier", {"en": "Loyalty tier"}, "user.loyalty"),
    ]
    tax = Taxonomy(reversed(extra))  # children before parents still works
    allergy = tax.get("user.health.allergy")
    assert allergy is not None and allergy.personal and allergy.special
    assert tax.is_special("user.health.allergy")
    assert tax.is_personal("user.loyalty.tier")
    assert tax.labels("user.loyalty.tier", "sv") == "Loyalty tier"
    assert tax.labels("user.health.allergy", "sv") == "Allergier"
    assert "user.loyalty.tier" in tax.all_keys()
    assert tax.suggest("user.loyalty.teir")[0] == "user.loyalty.tier"
    assert tax.problems == []
    assert not taxonomy.is_known("user.loyalty")  # the default taxonomy is untouched


def test_bad_extra_categories_are_reported_not_raised() -> None:
    tax = Taxonomy(
        [
            Category("user.contact.email", {"en": "Mine"}, "user.contact"),
            Category("x.custom", {"en": "X"}, "user.contact"),
            Category("user.a", {"en": "A"}, "user"),
            Category("user.a", {"en": "A again"}, "user"),
        ]
    )
    keys = [key for key, _, _ in tax.problems]
    assert keys == ["user.contact.email", "x.custom", "user.a"]
    assert tax.labels("user.contact.email", "en") == "Email address"  # built-in wins
    assert tax.is_personal("x.custom")  # inherits from its declared parent
