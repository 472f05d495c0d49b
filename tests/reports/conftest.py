from ..trainees.conftest import enrollment, running, today  # noqa: F401  (shared fixtures)
