import uuid

from trygg.audit.services import snapshot
from trygg.meetings.models import Attachment
from trygg.safety_rounds.models import Answer


def test_files_are_logged_by_name_and_uuids_as_text():
    attachment = Attachment(file="moter/2026/protokoll.pdf")
    assert snapshot(attachment)["file"] == "moter/2026/protokoll.pdf"
    assert snapshot(Attachment())["file"] == ""
    client_id = uuid.uuid4()
    assert snapshot(Answer(client_id=client_id))["client_id"] == str(client_id)
