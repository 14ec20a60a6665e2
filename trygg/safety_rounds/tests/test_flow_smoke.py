import pytest

from trygg.safety_rounds import services
from trygg.safety_rounds.tests.factories import answer_all, make_round


@pytest.mark.django_db
def test_smoke(world):
    round_ = make_round(world)
    roles = sorted(p.role for p in round_.participants.all())
    assert roles == ["leader", "safety_rep"]
    answer_all(round_, world.leader, deviations=("q1", "q2"))
    assert (
        services.sign_round(actor=world.leader, round_=round_, person=world.leader.person)
        == "signed"
    )
    assert (
        services.sign_round(actor=world.safety_rep, round_=round_, person=world.safety_rep.person)
        == "completed"
    )
    round_.refresh_from_db()
    assert round_.finding_count == 2
    for f in round_.findings.all():
        assert f.deviation is not None
        assert f.deviation.handler == world.leader
