import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from programs.models import Municipality
from programs.validators import local_government_check_digit, validate_local_government_code


@pytest.mark.parametrize(
    ("code", "name"), [("402061", "田川市"), ("203831", "箕輪町"), ("202029", "松本市")]
)
def test_design_vectors_are_valid(code, name):
    validate_local_government_code(code)
    assert local_government_check_digit(code[:5]) == int(code[5])


@pytest.mark.parametrize("code", ["402062", "203830", "202020"])
def test_wrong_check_digit_is_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_local_government_code(code)
    assert excinfo.value.code == "check_digit"


@pytest.mark.parametrize("code", ["40206", "4020611", "40206a", "４０２０６１", ""])
def test_malformed_code_is_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_local_government_code(code)
    assert excinfo.value.code == "format"


def test_prefecture_number_out_of_range_is_refused():
    first_five = "48001"
    code = first_five + str(local_government_check_digit(first_five))
    with pytest.raises(ValidationError) as excinfo:
        validate_local_government_code(code)
    assert excinfo.value.code == "prefecture"


@pytest.mark.django_db
def test_code_must_match_the_prefecture():
    municipality = Municipality(name="田川市", prefecture=20, code="402061")
    with pytest.raises(ValidationError) as excinfo:
        municipality.full_clean()
    assert list(excinfo.value.error_dict) == ["code"]


@pytest.mark.django_db
def test_duplicate_municipality_is_refused_by_form_and_database(tagawa):
    duplicate = Municipality(name="田川市", prefecture=40, code="402061")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert set(excinfo.value.error_dict) == {"code", "__all__"}
    with pytest.raises(IntegrityError):
        Municipality.objects.create(name="別名", prefecture=40, code="402061")
