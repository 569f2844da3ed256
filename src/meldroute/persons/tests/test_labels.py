"""No codes in the Dutch interface (issue 14): a person's forms of exploitation and means of control by their labels."""

from meldroute.persons.models import Person


def test_a_persons_forms_and_means_of_control_read_in_dutch():
    from meldroute.triage.constants import MeansOfControl

    code = MeansOfControl.values[0]
    person = Person(exploitation_forms=["labour", "criminal"], means_of_control=[code])
    assert person.exploitation_form_labels == ["Arbeidsuitbuiting", "Criminele uitbuiting"]
    assert person.means_of_control_labels == [str(MeansOfControl(code).label)]
    assert "labour" not in " ".join(person.exploitation_form_labels)
