"""Socket Mode: the bot opens a websocket to Slack and receives everything over it.

    server = SocketModeServer(app, app_token)
    server.start()      # SlackApiError here: Slack refused the app token (invalid_auth, ...)
    ...                 # envelopes are handled on the server's workers and acknowledged
    server.close()      # no new envelopes; those in hand are finished and acked; close frame

Bolt's `SocketModeHandler`s handle envelopes (`run_bolt_app`, `send_response`, as here) but
their connections were measured against the Socket Mode stand-in in tests/e2e, and both leave
the bot deaf after Slack's routine disruptions:
- slack_sdk's built-in client does not notice a connection dropped without a close frame (a
  NAT or proxy timing out): its reader gets empty reads in a tight loop, spinning a core, until
  its ping check gives up 40-50 s later; and each reconnect stalls its reader up to 3 s on a
  lock held by the old connection's blocking read.
- the `websocket-client` one runs each connection on one thread after the other: after a
  `disconnect` message the new connection waits until the old one's `select` times out (10 s)
  unless Slack closes the old socket first; and its start-up and close callbacks each ask for a
  second connection URL, which Slack rate-limits (Tier 1).
So the connection is ours, on the `websockets` library (RFC 6455, pings and close handshakes
done by it): every connection has its own reader; a `disconnect` message opens the new
connection before the old one is closed; a lost connection is noticed at once (or by a missed
pong within `PING_INTERVAL`) and reopened with a fresh URL, backing off while Slack is away.
slack_sdk's `BaseSocketModeClient` still asks for the URLs and runs the listeners.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from queue import Queue
from time import time

from slack_bolt import App
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackClientNotConnectedError
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.protocol import State
from websockets.sync.client import ClientConnection, connect

from bot.slack.advice import refused_token

log = logging.getLogger(__name__)

PING_INTERVAL = 10.0  # seconds between pings; a pong missing as long means the link is dead
WORKERS = 10  # envelopes handled at once (each acknowledges at once: bot/slack/after_ack.py)
MAX_MESSAGE = 16 << 20  # bytes: far above any envelope Slack sends
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)  # seconds between attempts while Slack cannot be reached
# What "Slack cannot be reached" looks like, from the URL request to the websocket handshake.
UNREACHABLE = (SlackClientError, OSError, WebSocketException)


class SocketModeServer:
    """What `denials run` serves in Socket Mode: the Bolt app behind one Slack connection."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        ping_interval: float = PING_INTERVAL,
        workers: int = WORKERS,
    ) -> None:
        self._app = app
        self._client = SlackConnection(
            app_token, app.client, ping_interval=ping_interval, workers=workers
        )
        self._client.socket_mode_request_listeners.append(self._handle)

    def start(self) -> None:
        """Ask Slack for a connection URL (`apps.connections.open`) and connect to it.

        Raises `SlackApiError` when Slack refuses the app token, one of `UNREACHABLE` when
        Slack cannot be reached; nothing keeps running after either.
        """
        try:
            self._client.connect_to_new_endpoint(force=True)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self._client.close()

    def _handle(self, client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        started = time()
        response = run_bolt_app(self._app, request)
        send_response(client, request, response, started)


class SlackConnection(BaseSocketModeClient):
    """slack_sdk's Socket Mode client contract on the `websockets` library's threaded client."""

    def __init__(
        self, app_token: str, web_client: WebClient, *, ping_interval: float, workers: int
    ) -> None:
        self.app_token = app_token
        self.web_client = web_client
        self.logger = log
        self.wss_uri = ""
        self.message_queue = Queue()  # unused: each reader hands messages to the workers
        self.message_listeners = []
        self.socket_mode_request_listeners = []
        self.message_workers = ThreadPoolExecutor(workers, thread_name_prefix="socket-mode")
        self.closed = False
        self.connect_operation_lock = threading.Lock()
        self._ping_interval = ping_interval
        self._connection: ClientConnection | None = None
        self._readers: list[threading.Thread] = []
        self._stopping = threading.Event()

    def issue_new_wss_url(self) -> str:
        """A fresh single-use URL (`apps.connections.open`). Slack's refusal is raised, not
        logged: `denials run` explains it, a reconnect logs it with its next try."""
        response = self.web_client.apps_connections_open(app_token=self.app_token)
        return str(response["url"])

    def is_connected(self) -> bool:
        connection = self._connection
        return connection is not None and connection.protocol.state is State.OPEN

    def connect(self) -> None:
        """Connect to `wss_uri` (a fresh URL, see `connect_to_new_endpoint`), then close the
        previous connection: no moment without one after a `disconnect` message."""
        if self.closed:
            return  # a `disconnect` message that came in while closing
        connection = connect(
            self.wss_uri,
            ping_interval=self._ping_interval,
            ping_timeout=self._ping_interval,
            close_timeout=2,
            max_size=MAX_MESSAGE,
            legacy=True,  # connect directly: this connection outlives this call (17.1+)
        )
        previous, self._connection = self._connection, connection
        reader = threading.Thread(
            target=self._read, args=(connection,), name="socket-mode-reader", daemon=True
        )
        reader.start()
        self._readers = [each for each in self._readers if each.is_alive()] + [reader]
        if previous is not None:
            previous.close()  # its reader sees it was replaced and ends quietly
        log.info("connected to Slack over Socket Mode")

    def disconnect(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def send_message(self, message: str) -> None:
        connection = self._connection
        try:
            if connection is None:
                raise SlackClientNotConnectedError("no Socket Mode connection")
            connection.send(message)
        except ConnectionClosed as error:  # Slack redelivers what was not acknowledged
            raise SlackClientNotConnectedError("the Socket Mode connection closed") from error

    def close(self) -> None:
        """Stop reading, finish (and acknowledge) the envelopes in hand, then say goodbye."""
        self.closed = True
        self._stopping.set()
        self.message_workers.shutdown(wait=True)
        self.disconnect()
        for reader in self._readers:
            reader.join(timeout=5)
        if self._connection is not None:
            log.info("Socket Mode connection closed")

    def _read(self, connection: ClientConnection) -> None:
        try:
            for raw in connection:
                if self.closed:
                    return  # not acknowledged: Slack redelivers it to a running bot
                text = raw if isinstance(raw, str) else raw.decode(errors="replace")
                try:
                    message = json.loads(text) if text.startswith("{") else {}
                except ValueError:
                    log.warning("Slack sent a message that is not JSON; ignored")
                    continue
                self.message_workers.submit(self.run_message_listeners, message, text)
        except ConnectionClosed:
            pass
        except RuntimeError:  # the workers were shut down while a message came in
            return
        if self.closed or connection is not self._connection:
            return  # closing, or replaced after a `disconnect` message: nothing was lost
        log.warning("the Socket Mode connection was lost; reconnecting")
        self._reconnect()

    def _reconnect(self) -> None:
        for attempt in itertools.count():
            try:
                self.connect_to_new_endpoint()
                return
            except (SlackApiError, *UNREACHABLE) as error:
                wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
                log.warning(
                    "could not reconnect to Slack (%s); next try in %.0f s", _why(error), wait
                )
            if self._stopping.wait(wait):
                return


def _why(error: Exception) -> str:
    if isinstance(error, SlackApiError):  # e.g. the app token was revoked meanwhile
        return refused_token("SLACK_APP_TOKEN", error)
    return type(error).__name__
