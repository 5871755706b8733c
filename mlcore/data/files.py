"""Where the course's data files live, and checking they are intact.

Files live in the repository's ``data/`` folder, next to the ``mlcore``
package (an editable install, ``pip install -e .``, as README says). Set the
environment variable ``MLCORE_DATA_DIR`` to use another folder.
"""
import hashlib
import os
from pathlib import Path


def data_dir():
    """The folder holding the course's data files (``<repo>/data`` or ``$MLCORE_DATA_DIR``)."""
    override = os.environ.get("MLCORE_DATA_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "data"


def data_path(name, sha256=None):
    """Path of a data file, checked to exist and, if ``sha256`` is given, to be intact.

    Parameters
    ----------
    name : str
        File name inside :func:`data_dir`, e.g. ``'mnist_5k.npz'``.
    sha256 : str, optional
        Expected SHA-256 hex digest of the file's bytes.

    Raises
    ------
    FileNotFoundError
        The file is missing (the message says where it was looked for).
    ValueError
        The file's checksum differs from ``sha256`` (corrupted or replaced).
    """
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"mlcore.data: {name} not found in {path.parent}. It ships in the repository's "
            "data/ folder; install the course with `pip install -e .` from a clone, or set "
            "MLCORE_DATA_DIR to the folder that holds it (see data/README.md)."
        )
    if sha256 is not None:
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != sha256:
            raise ValueError(
                f"mlcore.data: {path} is corrupted or was changed: sha256 {actual}, "
                f"expected {sha256}. Restore it (`git checkout -- data/{name}`) or "
                "regenerate it as data/README.md describes."
            )
    return path
