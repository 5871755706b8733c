"""nbgitpuller links that open one chapter of this repository on a JupyterHub.

    python3 course.py links --hub https://hub.example.edu --repo https://github.com/ORG/REPO

prints one link per chapter. A student who clicks one gets (or updates) their own copy of
the repository on the hub, through nbgitpuller, and lands in that chapter in JupyterLab.
The hub's image needs nbgitpuller and the course's dependencies (repo2docker builds it from
``environment.yml``).
"""
import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def chapters():
    return sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def folder_of(repo):
    """The folder nbgitpuller clones ``repo`` into: its last path part without ``.git``."""
    return urlsplit(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")


def chapter_link(hub, repo, chapter, branch="main"):
    """The nbgitpuller link opening ``notebooks/<chapter>.ipynb`` of ``repo`` on ``hub``.

    Raises
    ------
    ValueError
        If ``hub`` or ``repo`` is not an http(s) address, or ``chapter`` is not a chapter.
    """
    for name, url in (("hub", hub), ("repo", repo)):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{name}: expected an http(s) address such as https://example.edu, got {url!r}")
    if chapter not in chapters():
        raise ValueError(f"chapter: expected one of {chapters()}, got {chapter!r}")
    query = urlencode({"repo": repo, "branch": branch,
                       "urlpath": f"lab/tree/{folder_of(repo)}/notebooks/{chapter}.ipynb"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="the JupyterHub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", required=True, help="this repository's clone address")
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    try:
        for chapter in chapters():
            print(f"{chapter}: {chapter_link(args.hub, args.repo, chapter, args.branch)}")
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
