from pathlib import Path

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def bank_files(settings: LazySettings, tmp_path: Path) -> Path:
    """Bank files a test writes (debit requests, results, transfers) go to its own directory."""
    settings.KYOSAI_BANK_FILES_DIR = tmp_path
    return tmp_path
