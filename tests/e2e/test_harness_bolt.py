"""A tiny Bolt app, served over real HTTP, driven by signed requests, talking to the stand-in."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from tests.e2e.app_server import BoltHTTPServer
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.slack_driver import SlackDriver
from tests.support.slack_standin import SlackStandIn

CARD_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Claim 1001* · Aetna · CO-197"}},
    {
        "type": "actions",
        "block_id": "card",
        "elements": [
            {
                "type": "button",
                "action_id": "take",
                "text": {"type": "plain_text", "text": "Take it"},
                "value": "1001",
            }
        ],
    },
]
PICK_BLOCKS: list[dict[str, Any]] = [
    {
        "type": "actions",
        "block_id": "pickers",
        "elements": [
            {
                "type": "static_select",
                "action_id": "pick_category",
                "placeholder": {"type": "plain_text", "text": "Root cause"},
                "options": [
                    {"text": {"type": "plain_text", "text": label}, "value": value}
                    for value, label in [("coding", "Coding"), ("eligibility", "Eligibility")]
                ],
            },
            {"type": "users_select", "action_id": "pick_assignee"},
            {
                "type": "overflow",
                "action_id": "pick_more",
                "options": [
                    {"text": {"type": "plain_text", "text": "Write off"}, "value": "write_off"},
                    {"text": {"type": "plain_text", "text": "Reopen"}, "value": "reopen"},
                ],
            },
        ],
    }
]
MORE_BUTTON = {
    "type": "button",
    "action_id": "more",
    "text": {"type": "plain_text", "text": "More"},
}
APPEAL_MODAL = {
    "type": "modal",
    "callback_id": "appeal",
    "title": {"type": "plain_text", "text": "Log appeal"},
    "submit": {"type": "plain_text", "text": "Save"},
    "private_metadata": "1001",
    "blocks": [
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {"type": "actions", "block_id": "extra", "elements": [MORE_BUTTON]},
    ],
}
PUSHED_MODAL = {
    "type": "modal",
    "callback_id": "more",
    "title": {"type": "plain_text", "text": "More"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Payer rules"}}],
}


def tiny_app(slack: SlackStandIn, executor: ThreadPoolExecutor) -> App:
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=slack.url),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,  # auth.test happens on the first request instead
        listener_executor=executor,
    )

    @app.command("/denials")
    def denials(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        if command["text"] == "appeal":
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=APPEAL_MODAL)
            return
        ack(text="Looking…")
        respond(text=f"Due: {command['text']}", blocks=CARD_BLOCKS)

    @app.action("take")
    def take(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        claim = body["actions"][0]["value"]
        card_ts = body["container"]["message_ts"]
        client.chat_postMessage(channel="C1", thread_ts=card_ts, text=f"<@{body['user']['id']}>")
        respond(replace_original=True, text=f"Claim {claim} taken")

    @app.action(re.compile(r"^pick_"))
    def picked(ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        value = action.get("selected_option", {}).get("value") or action.get("selected_user")
        thread_ts = body["container"]["message_ts"]
        client.chat_postMessage(channel="C1", thread_ts=thread_ts, text=f"{action['type']}={value}")

    @app.action("more")
    def more(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_push(trigger_id=body["trigger_id"], view=PUSHED_MODAL)

    @app.view("appeal")
    def appeal(ack: Ack, view: dict[str, Any]) -> None:
        note = view["state"]["values"]["note"]["value"]["value"]
        if not note:
            ack(response_action="errors", errors={"note": "Say what was sent."})
            return
        ack()

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Nothing due"}}]
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": blocks})

    @app.event("file_shared")
    def file_shared(event: dict[str, Any], client: WebClient) -> None:
        info = client.files_info(file=event["file_id"])["file"]
        request = urllib.request.Request(  # noqa: S310 - the stand-in
            info["url_private_download"], headers={"Authorization": f"Bearer {BOT_TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=5) as download:  # noqa: S310
            size = len(download.read())
        client.chat_postMessage(channel=event["channel_id"], text=f"Got {size} bytes")

    return app


@pytest.fixture
def driver(
    slack: SlackStandIn,
    listener_executor: ThreadPoolExecutor,
    serve_app: Callable[[App], BoltHTTPServer],
    driver_factory: Callable[..., SlackDriver],
) -> SlackDriver:
    slack.add_user("U1", name="maria")
    server = serve_app(tiny_app(slack, listener_executor))
    return driver_factory(server.events_url)


def test_a_signed_slash_command_is_acked_then_answered_through_its_response_url(
    slack: SlackStandIn, driver: SlackDriver
) -> None:
    answer = driver.slash("/denials", "due")

    assert answer.status == 200
    assert answer.text == "Looking…"  # Bolt answers ack(text) as text/plain
    (response,) = driver.wait_for(slack.responses)
    assert (response.text, response.response_type, response.user) == ("Due: due", "ephemeral", "U1")
    assert [c.method for c in slack.calls()] == ["auth.test"]  # Bolt authorizes lazily, once


def test_a_button_on_a_card_replaces_the_card_and_notes_it_in_the_thread(
    slack: SlackStandIn, driver: SlackDriver, web_client: WebClient
) -> None:
    card = web_client.chat_postMessage(channel="C1", text="Claim 1001", blocks=CARD_BLOCKS)

    answer = driver.block_action("take", channel="C1", message_ts=card["ts"])

    assert (answer.status, answer.text) == (200, "")
    driver.wait_for(lambda: slack.messages("C1")[0].text == "Claim 1001 taken")
    assert [m.text for m in slack.thread("C1", card["ts"])] == ["<@U1>"]
    clicked = slack.calls("auth.test")
    assert len(clicked) == 1


def test_selects_and_overflow_menus_arrive_shaped_like_slacks(
    slack: SlackStandIn, driver: SlackDriver, web_client: WebClient
) -> None:
    card = web_client.chat_postMessage(channel="C1", text="Claim 1001", blocks=PICK_BLOCKS)

    driver.block_action("pick_category", selected_option="coding", message_ts=card["ts"])
    driver.wait_for(lambda: len(slack.thread("C1", card["ts"])) == 1)
    driver.block_action("pick_assignee", selected_user="U2", message_ts=card["ts"])
    driver.wait_for(lambda: len(slack.thread("C1", card["ts"])) == 2)
    driver.block_action("pick_more", selected_option="reopen", message_ts=card["ts"])
    driver.wait_for(lambda: len(slack.thread("C1", card["ts"])) == 3)

    assert [m.text for m in slack.thread("C1", card["ts"])] == [
        "static_select=coding",
        "users_select=U2",
        "overflow=reopen",
    ]


def test_a_button_inside_a_modal_pushes_a_second_view(
    slack: SlackStandIn, driver: SlackDriver
) -> None:
    driver.slash("/denials", "appeal")
    (appeal,) = driver.wait_for(slack.views)

    assert driver.block_action("more", view_id=appeal.id).status == 200

    driver.wait_for(lambda: len(slack.views()) == 2)
    _, pushed = slack.views()
    assert (pushed.callback_id, pushed.previous_view_id, pushed.is_open) == (
        "more",
        appeal.id,
        True,
    )


def test_a_slash_command_opens_a_modal_and_its_submission_closes_it(
    slack: SlackStandIn, driver: SlackDriver
) -> None:
    assert driver.slash("/denials", "appeal").status == 200
    (view,) = driver.wait_for(slack.views)
    assert (view.callback_id, view.is_open) == ("appeal", True)

    refused = driver.view_submission("appeal", {"note": {"value": ""}})
    assert refused.body == {"response_action": "errors", "errors": {"note": "Say what was sent."}}
    (still_open,) = slack.views()
    assert (still_open.is_open, still_open.errors) == (True, {"note": "Say what was sent."})

    assert driver.view_submission("appeal", {"note": {"value": "Faxed level 1"}}).status == 200
    assert not slack.views()[0].is_open


def test_events_reach_the_app_home_tab_and_shared_files(
    slack: SlackStandIn, driver: SlackDriver
) -> None:
    assert driver.app_home_opened("U1").status == 200
    home = driver.wait_for(lambda: slack.home("U1"))
    assert home.blocks[0]["text"]["text"] == "Nothing due"

    file_id = slack.add_file("era.835", b"ISA*00*~", user="U1", channel="C1")
    assert driver.file_shared(file_id, user="U1", channel="C1").status == 200
    (message,) = driver.wait_for(lambda: slack.messages("C1"))
    assert message.text == "Got 8 bytes"


def test_url_verification_is_answered_with_the_challenge(driver: SlackDriver) -> None:
    answer = driver.url_verification("abc123")
    assert (answer.status, answer.body) == (200, {"challenge": "abc123"})


@pytest.mark.parametrize("tamper", ["forged signature", "stale timestamp"])
def test_requests_not_signed_by_slack_are_refused_with_401(
    slack: SlackStandIn, driver: SlackDriver, tamper: str
) -> None:
    if tamper == "forged signature":
        impostor = driver.with_forged_signature()
    else:
        impostor = driver.with_stale_timestamp()

    assert impostor.slash("/denials", "due").status == 401
    assert impostor.block_action("take", message_ts="1.000001").status == 401
    assert (slack.calls(), slack.responses()) == ([], [])


def test_the_server_answers_health_checks(
    serve_app: Callable[[App], BoltHTTPServer],
    slack: SlackStandIn,
    listener_executor: ThreadPoolExecutor,
) -> None:
    server = serve_app(tiny_app(slack, listener_executor))
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as health:  # noqa: S310
        assert (health.status, health.read()) == (200, b"ok")
