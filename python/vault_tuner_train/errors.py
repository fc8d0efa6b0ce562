"""Errors a user can act on: each says what went wrong and what to change."""


class TrainError(Exception):
    """A failure with its cause named for the user; `hint` says what to do about it."""

    def __init__(self, message: str, hint: str = "", code: str = "error"):
        super().__init__(message)
        self.hint = hint
        self.code = code


class DatasetError(TrainError):
    """A dataset row that cannot be trained on, located by file and line."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(
            f"{path}:{line}: {message}",
            "fix or remove that line (npx vault-tuner validate FILE lists every problem)",
            "dataset-invalid",
        )
        self.path = path
        self.line = line


def explain(error: BaseException) -> TrainError:
    """Turns library failures into TrainErrors with a cause a user can act on."""
    if isinstance(error, TrainError):
        return error
    text = str(error)
    if "out of memory" in text.lower() or type(error).__name__ == "OutOfMemoryError":
        return TrainError(
            f"out of memory: {text.splitlines()[0] if text else type(error).__name__}",
            "lower batch_size (raise gradient_accumulation to keep the effective batch), lower max_length, or set load_in_4bit: true",
            "out-of-memory",
        )
    if "CUDA" in text and ("not available" in text or "no CUDA" in text or "driver" in text.lower()):
        return TrainError(
            f"CUDA is not usable: {text.splitlines()[0]}",
            "install the NVIDIA driver and a CUDA build of torch, or run with --device cpu",
            "cuda-missing",
        )
    return TrainError(f"{type(error).__name__}: {text}", "", "error")
