"""The export job's rules (domain/export_jobs.py): what a record reads as over time, when it is forgotten, where
its ZIP lives, and that the bucket's lifecycle keeps the ZIP exactly as long as the record promises."""

import pytest

from chalicelib.domain.export_jobs import (
    EXPORTS_PREFIX,
    KEPT_SECONDS,
    PENDING_SECONDS,
    ExportState,
    export_key,
    failed_export,
    new_export,
    ready_export,
    ready_notice,
    render_export_ready,
)
from chalicelib.resources import DOCUMENTS_BUCKET

NOW = 1_796_000_000


def test_a_pending_export_runs_for_an_hour_then_reads_failed():
    job = new_export("c-1", NOW)
    assert job.shown_state(NOW + PENDING_SECONDS - 1) == ExportState.PENDING and job.is_running(NOW)
    assert job.shown_state(NOW + PENDING_SECONDS) == ExportState.FAILED and not job.is_running(NOW + PENDING_SECONDS)


def test_a_ready_export_expires_seven_days_after_it_was_ready_and_is_forgotten_with_its_zip():
    job = ready_export(new_export("c-1", NOW), 1234, NOW + 60)
    assert job.shown_state(NOW + 60 + KEPT_SECONDS - 1) == ExportState.READY
    assert job.shown_state(NOW + 60 + KEPT_SECONDS) == ExportState.EXPIRED
    assert job.forget_at == job.zip_expires_at == NOW + 60 + 7 * 86400


def test_a_pending_or_failed_export_is_forgotten_a_week_after_it_could_last_have_run():
    pending = new_export("c-1", NOW)
    assert pending.forget_at == NOW + PENDING_SECONDS + KEPT_SECONDS
    assert failed_export(pending, NOW + 5 * 86400).forget_at == NOW + 5 * 86400 + KEPT_SECONDS


def test_ids_are_time_ordered_and_the_zip_lives_under_the_citizens_prefix():
    first, later = new_export("c-1", NOW), new_export("c-1", NOW + 1)
    assert first.export_id < later.export_id
    assert first.key == f"exports/c-1/{first.export_id}.zip"
    with pytest.raises(ValueError):
        export_key("../c-2", first.export_id)


def test_the_bucket_deletes_exports_when_the_record_says_they_expire():
    assert DOCUMENTS_BUCKET.expiry_days(EXPORTS_PREFIX) * 86400 == KEPT_SECONDS


def test_the_ready_notice_names_the_export_and_tells_its_expiry_in_vietnam_time():
    notice = ready_notice(ready_export(new_export("c-1", NOW), 10, NOW))
    assert notice.event_id == f"export-{notice.export_id}-ready" and notice.citizen_id == "c-1"
    title_vi, body_vi = render_export_ready(notice, "vi")
    title_en, body_en = render_export_ready(notice, "en")
    assert title_vi != title_en and "giờ Việt Nam" in body_vi and "Vietnam time" in body_en
