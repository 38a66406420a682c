"""The Slack stand-in behaves like Slack towards slack_sdk's WebClient, over real HTTP."""

from __future__ import annotations

import time
import urllib.request
from typing import Any
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from tests.e2e.conftest import BOT_TOKEN
from tests.support.slack_standin import SlackStandIn


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(label: str, action_id: str = "act", value: str = "1") -> dict[str, Any]:
    text = {"type": "plain_text", "text": label}
    return {"type": "button", "text": text, "action_id": action_id, "value": value}


def modal(title: str = "Log appeal", callback_id: str = "appeal") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "Note"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }


def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        call()
    data: dict[str, Any] = raised.value.response.data
    return data


def test_a_card_is_posted_updated_in_place_and_answered_in_its_thread(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    first = web_client.chat_postMessage(channel="C1", text="Denial A", blocks=[section("*A*")])
    second = web_client.chat_postMessage(channel="C1", text="Denial B")
    web_client.chat_update(channel="C1", ts=first["ts"], text="Denial A (assigned)")
    reply = web_client.chat_postMessage(channel="C1", text="Maria took it", thread_ts=first["ts"])

    assert first["channel"] == "C1"
    assert first["ts"] < second["ts"] < reply["ts"]
    cards = slack.messages("C1")
    assert [m.text for m in cards] == ["Denial A (assigned)", "Denial B"]
    assert cards[0].blocks == [section("*A*")]
    assert cards[0].edits == 1
    assert [m.text for m in slack.thread("C1", first["ts"])] == ["Maria took it"]


def test_updating_a_message_that_does_not_exist_is_message_not_found(
    web_client: WebClient,
) -> None:
    answer = refusal(lambda: web_client.chat_update(channel="C1", ts="1.000001", text="x"))
    assert answer["error"] == "message_not_found"


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([{"type": "divider"}] * 51, "/blocks"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "x" * 2001}]}], "/fields/0"),
        ([{"type": "actions", "elements": [button("x" * 76)]}], "/elements/0/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "Header"}}], "/text/type"),
        ([{"type": "actions", "elements": [button("A"), button("B")]}], "/action_id"),
    ],
    ids=["51 blocks", "2001-char field", "76-char button", "mrkdwn header", "same action_id"],
)
def test_blocks_slack_would_refuse_are_invalid_blocks(
    slack: SlackStandIn, web_client: WebClient, blocks: list[dict[str, Any]], pointer: str
) -> None:
    answer = refusal(lambda: web_client.chat_postMessage(channel="C1", text="t", blocks=blocks))
    assert answer["error"] == "invalid_blocks"
    assert any(pointer in error for error in answer["errors"]), answer["errors"]
    assert slack.messages("C1") == []


def test_the_same_action_id_may_repeat_in_different_blocks(web_client: WebClient) -> None:
    rows = [{"type": "actions", "elements": [button("Assign", "assign", str(i))]} for i in (1, 2)]
    assert web_client.chat_postMessage(channel="C1", text="Two denials", blocks=rows)["ok"]


def test_blocks_without_fallback_text_are_posted_with_a_missing_text_warning(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    # api_call, not chat_postMessage: slack_sdk itself warns (UserWarning) when text is missing
    web_client.api_call("chat.postMessage", json={"channel": "C1", "blocks": [section("x")]})
    assert slack.warnings() == [
        {"method": "chat.postMessage", "warning": "missing_text", "channel": "C1"}
    ]


def test_an_unknown_token_is_invalid_auth(slack: SlackStandIn) -> None:
    stranger = WebClient(token="xoxb-someone-else", base_url=slack.url)
    assert refusal(stranger.auth_test)["error"] == "invalid_auth"


def test_a_rate_limited_post_is_retried_after_retry_after(slack: SlackStandIn) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1, times=1)
    client = WebClient(token=BOT_TOKEN, base_url=slack.url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))

    client.chat_postMessage(channel="C1", text="after the limit")

    first, second = slack.calls("chat.postMessage")
    assert (first.status, first.error, second.status) == (429, "ratelimited", 200)
    assert second.at - first.at >= 1.0
    assert [m.text for m in slack.messages("C1")] == ["after the limit"]
    assert slack.max_rate_per_channel() == 1


def test_without_a_retry_handler_429_surfaces_with_its_retry_after(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        web_client.chat_postMessage(channel="C1", text="x")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"


def test_posts_closer_than_a_second_show_in_the_rate_monitor(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    for n in range(3):
        web_client.chat_postMessage(channel="C1", text=f"burst {n}")
    web_client.chat_postMessage(channel="C2", text="alone")
    assert slack.max_rate_per_channel() == 3
    assert len(slack.post_times()["C1"]) == 3


def test_while_slack_is_down_calls_fail_with_503_and_work_again_after(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    slack.go_down()
    with pytest.raises(SlackApiError) as raised:
        web_client.chat_postMessage(channel="C1", text="lost")
    assert raised.value.response.status_code == 503
    slack.come_back()
    assert web_client.chat_postMessage(channel="C1", text="back")["ok"]
    assert [m.text for m in slack.messages("C1")] == ["back"]


def test_while_slack_refuses_connections_calls_raise_and_work_again_after(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    slack.go_down(refuse_connections=True)
    with pytest.raises(URLError):  # after slack_sdk's default single connection retry
        web_client.auth_test()
    slack.come_back()
    assert web_client.auth_test()["ok"]


def test_a_server_error_can_be_injected_for_one_call(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    slack.fail_next("chat.update", status=500)
    slack.fail_next("chat.postMessage", status=200, error="channel_not_found")
    assert refusal(lambda: web_client.chat_postMessage(channel="C9", text="x"))["error"] == (
        "channel_not_found"
    )
    posted = web_client.chat_postMessage(channel="C9", text="x")
    answer = refusal(lambda: web_client.chat_update(channel="C9", ts=posted["ts"], text="y"))
    assert answer["error"] == "internal_error"


def test_files_upload_v2_uploads_shares_and_serves_the_file(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    card = web_client.chat_postMessage(channel="C1", text="Denial A")
    uploaded = web_client.files_upload_v2(
        channel="C1",
        content=b"claim,payer\n1,Aetna\n",
        filename="due.csv",
        title="Due",
        initial_comment="Export",
        thread_ts=card["ts"],
    )

    assert uploaded["file"]["name"] == "due.csv"
    assert [c.method for c in slack.calls()][-2:] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    (stored,) = slack.files()
    assert (stored.title, stored.content, stored.channels) == ("Due", uploaded_bytes(), ["C1"])
    (share,) = slack.thread("C1", card["ts"])
    assert (share.text, share.files[0]["id"]) == ("Export", stored.id)
    info = web_client.files_info(file=stored.id)
    request = urllib.request.Request(  # noqa: S310
        info["file"]["url_private"], headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=5) as download:  # noqa: S310
        assert download.read() == uploaded_bytes()


def uploaded_bytes() -> bytes:
    return b"claim,payer\n1,Aetna\n"


def test_a_trigger_opens_one_modal_once(slack: SlackStandIn, web_client: WebClient) -> None:
    trigger = slack.issue_trigger("U1")
    opened = web_client.views_open(trigger_id=trigger, view=modal())

    assert opened["view"]["callback_id"] == "appeal"
    assert refusal(lambda: web_client.views_open(trigger_id=trigger, view=modal()))["error"] == (
        "expired_trigger_id"
    )
    assert refusal(lambda: web_client.views_open(trigger_id="made-up", view=modal()))["error"] == (
        "invalid_trigger_id"
    )
    (view,) = slack.views("U1")
    assert (view.is_open, view.title) == (True, "Log appeal")
    updated = web_client.views_update(view_id=view.id, view=modal("Appeal logged"))
    assert updated["view"]["title"]["text"] == "Appeal logged"


def test_a_trigger_expires_after_three_seconds_like_slacks() -> None:
    with SlackStandIn(trigger_ttl=0.05) as slow:
        client = WebClient(token=BOT_TOKEN, base_url=slow.url)
        trigger = slow.issue_trigger("U1")
        time.sleep(0.1)
        answer = refusal(lambda: client.views_open(trigger_id=trigger, view=modal()))
    assert answer["error"] == "expired_trigger_id"


def test_a_modal_title_over_24_characters_is_refused(
    slack: SlackStandIn, web_client: WebClient
) -> None:
    trigger = slack.issue_trigger("U1")
    answer = refusal(lambda: web_client.views_open(trigger_id=trigger, view=modal("x" * 25)))
    assert answer["error"] == "invalid_arguments"
    assert any("/view/title" in e for e in answer["errors"])


def test_people_channels_dms_and_home_tabs(slack: SlackStandIn, web_client: WebClient) -> None:
    slack.add_user("U123", name="maria", team="T1")
    slack.add_channel("C1", name="denials", members=("U123", "UBOT"))

    assert web_client.users_info(user="U123")["user"]["name"] == "maria"
    assert refusal(lambda: web_client.users_info(user="U404"))["error"] == "user_not_found"
    assert web_client.conversations_info(channel="C1")["channel"]["name"] == "denials"
    assert web_client.conversations_members(channel="C1")["members"] == ["U123", "UBOT"]
    dm = web_client.conversations_open(users="U123")["channel"]["id"]
    web_client.chat_postMessage(channel=dm, text="Deadline tomorrow")
    web_client.chat_postEphemeral(channel="C1", user="U123", text="Only you")
    home = {"type": "home", "blocks": [section("3 denials due")]}
    web_client.views_publish(user_id="U123", view=home)

    assert [m.text for m in slack.dms("U123")] == ["Deadline tomorrow"]
    assert [e.text for e in slack.ephemerals("U123")] == ["Only you"]
    published = slack.home("U123")
    assert published is not None
    assert published.blocks == [section("3 denials due")]
    link = web_client.chat_getPermalink(channel=dm, message_ts=slack.dms("U123")[0].ts)
    assert link["permalink"].startswith("https://")


def test_response_url_posts_are_recorded_and_shown(slack: SlackStandIn) -> None:
    url = slack.new_response_url(user="U1", channel="C1")
    WebhookClient(url).send(text="Only you see this")
    WebhookClient(url).send(text="Everyone sees this", response_type="in_channel")
    bad = WebhookClient(url).send(text="t", blocks=[{"type": "divider"}] * 51)

    assert bad.status_code == 400  # WebhookClient returns it; it does not raise
    assert [r.response_type for r in slack.responses()] == ["ephemeral", "in_channel"]
    assert [e.text for e in slack.ephemerals("U1")] == ["Only you see this"]
    assert [m.text for m in slack.messages("C1")] == ["Everyone sees this"]
