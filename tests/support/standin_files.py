"""The file methods of the stand-in's Web API: what `WebClient.files_upload_v2` calls.

slack_sdk 3.48's `files_upload_v2` makes three requests per upload:
1. `files.getUploadURLExternal` (form: filename, length) -> upload_url + file_id;
2. a bare POST of the bytes to that upload_url (no token, no form encoding);
3. `files.completeUploadExternal` (form: files=JSON [{id, title}], channel_id, thread_ts,
   initial_comment), whose `files[0]` the client also exposes as `response["file"]`.
"""

from __future__ import annotations

from typing import Any

from tests.support.standin_state import ApiError, Message, StoredFile, Workspace


class FileMethods:
    ws: Workspace
    root_url: str

    def files_get_upload_url_external(self, params: dict[str, Any]) -> dict[str, Any]:
        filename, length = params.get("filename"), params.get("length")
        if not filename or not str(length or "").isdigit():
            raise ApiError("invalid_arguments")
        file_id = self.ws.next_id("F")
        self.ws.files[file_id] = StoredFile(
            id=file_id,
            name=str(filename),
            title=str(filename),
            length=int(str(length)),
            user=self.ws.bot_user,
            url=f"{self.root_url}/files/{file_id}",
            alt_txt=params.get("alt_txt"),
            snippet_type=params.get("snippet_type"),
        )
        return {"upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def files_complete_upload_external(self, params: dict[str, Any]) -> dict[str, Any]:
        items = params.get("files")
        if not isinstance(items, list) or not items:
            raise ApiError("invalid_arguments")
        stored: list[StoredFile] = []
        for item in items:
            stored_file = self.ws.files.get(str(item.get("id", "")))
            if stored_file is None or stored_file.content is None:
                raise ApiError("file_not_found")  # never uploaded to the upload URL
            stored_file.title = str(item.get("title") or stored_file.title)
            stored_file.completed = True
            stored.append(stored_file)
        channels = [c for c in str(params.get("channels") or "").split(",") if c]
        if params.get("channel_id"):
            channels.insert(0, str(params["channel_id"]))
        for channel in dict.fromkeys(self.ws.resolve_channel(c) for c in channels):
            self._share(stored, channel, params)
        return {"files": [f.to_api() for f in stored]}

    def _share(self, stored: list[StoredFile], channel: str, params: dict[str, Any]) -> None:
        thread_ts = params.get("thread_ts") or None
        if thread_ts is not None:
            self.ws.find_message(channel, thread_ts)
        for stored_file in stored:
            stored_file.channels.append(channel)
        ws = self.ws
        ws.add_message(
            Message(
                channel=channel,
                ts=ws.next_ts(),
                text=str(params.get("initial_comment") or ""),
                blocks=[],
                user=ws.bot_user,
                bot_id=ws.bot_id,
                thread_ts=thread_ts,
                files=[f.to_api() for f in stored],
            )
        )

    def files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        stored_file = self.ws.files.get(str(params.get("file", "")))
        if stored_file is None or stored_file.content is None:
            raise ApiError("file_not_found")
        return {"file": stored_file.to_api()}
