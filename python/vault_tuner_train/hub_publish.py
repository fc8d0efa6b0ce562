"""Publishing a folder to a Hugging Face Hub model repo, through huggingface_hub (the maintained client).

The repo is created when missing. Each file is handed to the client one at a time before a single commit,
so that progress can be told file by file; the client uploads large files to content-addressed storage
(Xet where the Hub offers it, Git LFS otherwise), which the Hub keeps even when the commit never comes.
A publish that failed halfway and is run again sends only what the Hub does not have yet.

The token is the client's to find (HF_TOKEN, else the file `hf auth login` writes); it is never printed,
logged or written anywhere by this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import TrainError
from .progress import Progress


def folder_files(folder: Path) -> list[tuple[str, Path]]:
    """Every file under `folder`, as (path in the repo, file), in a stable order; hidden ones left out."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found.append((relative.as_posix(), path))
    return found


def _hub_error(error: Exception, repo: str) -> TrainError:
    """The client's HTTP errors as the user can act on them (the message names the URL, never the token)."""
    status = getattr(getattr(error, "response", None), "status_code", None)
    first_line = (str(error).splitlines() or [type(error).__name__])[0]
    if status in (401, 403):
        return TrainError(
            f"the Hub refused the token for {repo}: {first_line}",
            "use a token with write access (HF_TOKEN, or `hf auth login`) for that user or organization",
            "hub-unauthorized",
        )
    return TrainError(
        f"publishing to {repo} failed: {first_line}",
        "run the same command again: what was uploaded is kept",
        "hub-error",
    )


def publish_folder(
    folder: str,
    repo: str,
    private: bool,
    message: str,
    progress: Progress,
    endpoint: str | None = None,
) -> dict[str, Any]:
    """Uploads every file of `folder` to the model repo `repo` (OWNER/NAME) in one commit; returns the
    repo's URL, the commit and what was sent."""
    from huggingface_hub import CommitOperationAdd, HfApi, get_token
    from huggingface_hub.errors import HfHubHTTPError

    source = Path(folder)
    files = folder_files(source) if source.is_dir() else []
    if not files:
        raise TrainError(
            f"nothing to publish: {folder} holds no files", "give the folder the dry run wrote", "publish-empty"
        )
    if repo.count("/") != 1 or not all(repo.split("/")):
        raise TrainError(
            f"{repo!r} is not a repo name", "name it OWNER/NAME, e.g. alice/vault-tuner-qwen", "publish-repo-invalid"
        )
    if get_token() is None:
        raise TrainError(
            "no Hugging Face token", "set HF_TOKEN, or run `hf auth login` once on this machine", "hub-token-missing"
        )
    api = HfApi(endpoint=endpoint)
    sizes = [path.stat().st_size for _, path in files]
    total = sum(sizes)
    operations = [CommitOperationAdd(path_in_repo=name, path_or_fileobj=str(path)) for name, path in files]
    try:
        # Without --private the Hub's default applies (public, unless the organization makes repos private).
        url = api.create_repo(repo, private=True if private else None, exist_ok=True, repo_type="model")
        sent = 0
        for index, (operation, size) in enumerate(zip(operations, sizes, strict=True), start=1):
            progress.emit(
                "stage",
                stage=f"upload {operation.path_in_repo}",
                index=index,
                total=len(operations) + 1,
                eta_s=progress.eta(sent, total) if sent else None,
            )
            api.preupload_lfs_files(repo, additions=[operation], repo_type="model")
            sent += size
        progress.emit("stage", stage="commit", index=len(operations) + 1, total=len(operations) + 1, eta_s=0.0)
        commit = api.create_commit(repo, operations, commit_message=message, repo_type="model")
    except ValueError as error:
        # The client's check of README.md's metadata header, before the commit; any other ValueError is not that.
        if "README.md" not in str(error):
            raise
        raise TrainError(
            f"the Hub refused README.md's metadata: {error}",
            "fix the YAML between the --- lines at the top of README.md",
            "publish-card-invalid",
        ) from None
    except (HfHubHTTPError, RuntimeError) as error:
        # The client wraps a failed storage upload in a RuntimeError whose cause is the HTTP error.
        http_error = error if isinstance(error, HfHubHTTPError) else error.__cause__
        if not isinstance(http_error, HfHubHTTPError):
            raise
        raise _hub_error(http_error, repo) from None
    return {
        "url": str(url),
        "commit": commit.oid,
        "published": [{"path": name, "bytes": size} for (name, _), size in zip(files, sizes, strict=True)],
    }
