from stocktake.core.models import AuditEvent


def test_world_builds_through_actions_and_audits(world):
    assert world.review.status == "collecting"
    assert AuditEvent.objects.filter(verb="findings.added").count() == 2
    assert world.review.findings.count() == 4
