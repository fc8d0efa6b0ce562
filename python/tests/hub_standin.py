"""A Hugging Face Hub stand-in on 127.0.0.1 for tests: the endpoints huggingface_hub's create_repo,
preupload_lfs_files and create_commit call, as the Hub documents and the client expects them.

- POST /api/repos/create: creates the repo (409 when it exists, which the client's exist_ok accepts).
- POST /api/models/{repo}/preupload/{revision}: "lfs" for files of 1 MiB or more, "regular" below.
- POST /{repo}.git/info/lfs/objects/batch: the Git LFS batch API (basic transfer); an object already
  stored gets no upload action, so a retried publish sends only what the server lacks.
- PUT /lfs/{oid}: stores the bytes, refused unless their sha256 is the oid.
- POST /api/models/{repo}/commit/{revision}: the NDJSON commit (header, inline files, LFS pointers).
- POST /api/validate-yaml: the client checks README.md's metadata header there before committing.
- GET /standin/state: what the repos hold (per file its size and sha256), for tests in other languages.

`python tests/hub_standin.py TOKEN` serves until its standard input closes, after printing its address.

Every API request needs `Authorization: Bearer <token>`; uploads to storage need the ticket the batch
answer put in their URL instead, as pre-signed URLs work. The server records each request (method, path,
headers by lower-case name) so tests can check what was sent. Xet storage is not served: clients run with
HF_HUB_DISABLE_XET=1 and take the LFS path.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LFS_FROM_BYTES = 1 << 20


@dataclass
class Repo:
    private: bool
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[str] = field(default_factory=list)


class HubStandin:
    def __init__(self, token: str):
        self.token = token
        self.repos: dict[str, Repo] = {}
        self.lfs: dict[str, bytes] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        # LFS objects whose upload is refused (a publish that breaks off halfway), by sha256.
        self.refused_uploads: set[str] = set()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                standin._handle(self, "POST")

            def do_PUT(self):
                standin._handle(self, "PUT")

            def do_GET(self):
                standin._handle(self, "GET")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        path = handler.path.split("?")[0]
        self.requests.append((method, path, {name.lower(): value for name, value in handler.headers.items()}))
        query = handler.path.partition("?")[2]
        if method == "PUT" and path.startswith("/lfs/"):
            # Storage takes the ticket the batch answer signed into the URL, as a pre-signed URL does: the
            # client sends no token there.
            if query != f"ticket={self._ticket(path.removeprefix('/lfs/'))}":
                return self._reply(handler, 403, {"error": "no valid upload ticket"})
        elif handler.headers.get("Authorization") != f"Bearer {self.token}":
            return self._reply(handler, 401, {"error": "Invalid credentials in Authorization header"})
        status, answer = self._route(method, path, body)
        self._reply(handler, status, answer)

    def _route(self, method: str, path: str, body: bytes) -> tuple[int, dict]:
        if method == "POST" and path == "/api/repos/create":
            request = json.loads(body)
            repo = f"{request['organization']}/{request['name']}" if request.get("organization") else request["name"]
            if repo in self.repos:
                return 409, {"error": "You already created this model repo", "url": f"{self.endpoint}/{repo}"}
            # Today's client sends "visibility"; older ones sent "private".
            self.repos[repo] = Repo(private=request.get("visibility") == "private" or bool(request.get("private")))
            return 200, {"url": f"{self.endpoint}/{repo}", "name": repo}
        if method == "POST" and path == "/api/validate-yaml":
            return self._validate_card(json.loads(body)["content"])
        if matched := re.fullmatch(r"/api/models/(.+)/preupload/([^/]+)", path):
            if matched[1] not in self.repos:
                return 404, {"error": "Repository not found"}
            files = json.loads(body)["files"]
            return 200, {
                "files": [
                    {
                        "path": file["path"],
                        "uploadMode": "lfs" if file["size"] >= LFS_FROM_BYTES else "regular",
                        "shouldIgnore": False,
                    }
                    for file in files
                ]
            }
        if matched := re.fullmatch(r"/(.+)\.git/info/lfs/objects/batch", path):
            objects = []
            for item in json.loads(body)["objects"]:
                answer = {"oid": item["oid"], "size": item["size"]}
                if item["oid"] not in self.lfs:
                    href = f"{self.endpoint}/lfs/{item['oid']}?ticket={self._ticket(item['oid'])}"
                    answer["actions"] = {"upload": {"href": href, "header": {}}}
                objects.append(answer)
            return 200, {"transfer": "basic", "objects": objects}
        if method == "PUT" and (matched := re.fullmatch(r"/lfs/([0-9a-f]{64})", path)):
            if matched[1] in self.refused_uploads:
                return 400, {"error": "the stand-in refuses this upload on purpose"}
            if hashlib.sha256(body).hexdigest() != matched[1]:
                return 400, {"error": "content does not match its oid"}
            self.lfs[matched[1]] = body
            return 200, {}
        if matched := re.fullmatch(r"/api/models/(.+)/commit/([^/]+)", path):
            repo = self.repos.get(matched[1])
            if repo is None:
                return 404, {"error": "Repository not found"}
            summary, files = "", {}
            for line in body.decode().splitlines():
                entry = json.loads(line)
                value = entry["value"]
                if entry["key"] == "header":
                    summary = value["summary"]
                elif entry["key"] == "file":
                    files[value["path"]] = base64.b64decode(value["content"])
                elif entry["key"] == "lfsFile":
                    if value["oid"] not in self.lfs:
                        return 422, {"error": f"LFS object {value['oid']} of {value['path']} was never uploaded"}
                    files[value["path"]] = self.lfs[value["oid"]]
            repo.files.update(files)
            repo.commits.append(summary)
            oid = hashlib.sha1(json.dumps(sorted(repo.files)).encode() + summary.encode()).hexdigest()
            return 200, {"success": True, "commitOid": oid, "commitUrl": f"{self.endpoint}/{matched[1]}/commit/{oid}"}
        if method == "GET" and path == "/standin/state":
            return 200, {name: self._state(repo) for name, repo in self.repos.items()}
        return 404, {"error": f"the stand-in has no {method} {path}"}

    @staticmethod
    def _state(repo: Repo) -> dict:
        files = {
            path: {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for path, content in repo.files.items()
        }
        return {"private": repo.private, "commits": repo.commits, "files": files}

    @staticmethod
    def _validate_card(content: str) -> tuple[int, dict]:
        """The README's metadata header (YAML between `---` lines) must be a mapping."""
        import yaml

        if not content.startswith("---\n") or "\n---" not in content[4:]:
            return 200, {"warnings": [{"message": "empty or missing yaml metadata in repo card"}]}
        header = content[4:].split("\n---", 1)[0]
        try:
            metadata = yaml.safe_load(header)
        except yaml.YAMLError as error:
            return 400, {"errors": [{"message": f"invalid YAML: {error}"}]}
        if not isinstance(metadata, dict):
            return 400, {"errors": [{"message": "the metadata must be a mapping"}]}
        return 200, {"warnings": []}

    def _ticket(self, oid: str) -> str:
        return hashlib.sha256(f"{self.token}:{oid}".encode()).hexdigest()[:32]

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, answer: dict) -> None:
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


if __name__ == "__main__":
    import sys

    standin = HubStandin(sys.argv[1])
    print(standin.endpoint, flush=True)
    sys.stdin.read()
    standin.close()
