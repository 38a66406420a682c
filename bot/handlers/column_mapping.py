""" "Map the columns": the button under a shared report the importer did not understand, and
its form. On submit the file is imported with the columns picked (and the layout saved for the
next file like it); the summary goes in the file's thread."""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_bolt import Ack, App, Respond

from bot.blocks import ids
from bot.blocks.column_mapping import (
    FileRef,
    block_id,
    column_mapping_modal,
    columns_mapped_message,
    columns_needed_message,
    field_of_block,
    loading_modal,
    notice_modal,
)
from bot.deps import Deps
from bot.errors import InputError
from bot.handlers.feedback import reply_in_thread
from bot.handlers.files import MAX_BYTES, import_shared_file, outcome_text
from bot.handlers.listen import keep_open, on_click, on_submit
from bot.importers.csv_columns import ColumnMapping, Field
from bot.importers.csv_question import answer_mapping, answer_problems, column_question
from bot.services.column_mappings import preview_columns
from bot.services.importing import FileOutcome
from bot.slack.files import shared_file
from bot.slack.payloads import Click, Submission

log = logging.getLogger(__name__)

FORM_OUT_OF_DATE = "This form is out of date. Close it and click Map the columns again."
FETCH_FAILED = "I couldn't download {name} from Slack. Share it again, or use `denials import`."
NOTHING_TO_MAP = (
    "The columns of {name} are known now (someone mapped a file like it): importing it; the "
    "summary will be in the file's thread."
)


def register(app: App, deps: Deps) -> None:
    @on_click(app, ids.MAP_COLUMNS_BUTTON)
    def map_columns(click: Click, respond: Respond) -> None:
        try:
            ref = FileRef.decode(click.choice or "")
        except ValueError:
            return  # not a button we drew
        ref = replace(ref, message_ts=click.message_ts)
        actor = deps.actor(click.user).key
        deps.after_ack(lambda: _open_form(deps, ref, click.trigger_id, actor))

    @on_submit(app, ids.MAP_COLUMNS_MODAL)
    def submitted(form: Submission, ack: Ack) -> None:
        try:
            ref = FileRef.decode(form.metadata)
        except ValueError:
            keep_open(ack, form.first_block, FORM_OUT_OF_DATE)
            return
        answers = _answers(form)
        problems = answer_problems(_asks(ref), answers)
        if problems:
            ack(
                response_action="errors",
                errors={block_id(name): text for name, text in problems.items()},
            )
            return
        ack()
        user, actor = form.user.user, deps.actor(form.user).key
        mapping = answer_mapping(answers)
        deps.after_ack(lambda: _import_mapped(deps, ref, mapping, actor=actor, user=user))


def _open_form(deps: Deps, ref: FileRef, trigger: str | None, actor: str) -> None:
    """Open a form at once (the trigger lives 3 s), then fill it once the file is read."""
    opened = deps.client.views_open(trigger_id=trigger, view=loading_modal())
    view_id = str(opened["view"]["id"])
    file = shared_file(deps.client, ref.file_id, ref.channel)
    name = file.name
    try:
        data = file.download(deps.settings.slack_bot_token or "", limit=MAX_BYTES)
        preview = preview_columns(deps.sessions, data, name)
    except (OSError, KeyError) as error:
        log.warning("file download failed: %s", type(error).__name__)
        deps.client.views_update(view_id=view_id, view=notice_modal(FETCH_FAILED.format(name=name)))
        return
    except InputError as refusal:
        deps.client.views_update(
            view_id=view_id, view=notice_modal(f"{name} can't be imported: {refusal.describe()}")
        )
        return
    question = column_question(preview.detection)
    if not question.asks:
        deps.client.views_update(
            view_id=view_id, view=notice_modal(NOTHING_TO_MAP.format(name=name))
        )
        _import_mapped(deps, ref, None, actor=actor, user="")
        return
    deps.client.views_update(view_id=view_id, view=column_mapping_modal(name, question, ref))


def _import_mapped(
    deps: Deps, ref: FileRef, mapping: ColumnMapping | None, *, actor: str, user: str
) -> None:
    """Import the file with the columns picked; answer in its thread; post the new cards."""
    file = shared_file(deps.client, ref.file_id, ref.channel)
    name = file.name
    result = import_shared_file(deps, file, actor=actor, mapping=mapping)
    if isinstance(result, FileOutcome) and result.columns_needed is not None:
        needed = result.columns_needed  # still something missing: ask again
        message = columns_needed_message(
            name,
            [need.what for need in needed.detection.missing()],
            column_question(needed.detection),
            ref,
        )
        reply_in_thread(deps, ref.channel, ref.thread_ts, message)
        return
    if isinstance(result, FileOutcome) and result.ok and ref.message_ts and user:
        done = columns_mapped_message(name, user)
        deps.client.chat_update(
            channel=ref.channel, ts=ref.message_ts, text=done.text, blocks=done.blocks
        )
    reply_in_thread(deps, ref.channel, ref.thread_ts, outcome_text(result))
    deps.poster.post_pending()


def _answers(form: Submission) -> dict[Field, str | None]:
    """The header picked for each field asked about (fields left empty are absent)."""
    answers: dict[Field, str | None] = {}
    for (block, action), header in form.answers.items():
        name = field_of_block(block)
        if name is not None and action == ids.MAP_COLUMNS_INPUT:
            answers[name] = header
    return answers


def _asks(ref: FileRef) -> list[tuple[Field, str]]:
    found = []
    for name, need in ref.asks:
        try:
            found.append((Field(name), need))
        except ValueError:
            continue
    return found
