"""nbgitpuller links (issue 25): one per chapter, well formed, opening that chapter."""
import importlib.util
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HUB, CLONE = "https://hub.example.edu/", "https://github.com/our-dept/dl-course.git"

spec = importlib.util.spec_from_file_location("hub_links", REPO / "classroom" / "hub_links.py")
hub_links = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hub_links)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_link_names_the_repository_branch_and_the_chapter(chapter):
    link = urlsplit(hub_links.chapter_link(HUB, CLONE, chapter, branch="spring"))
    assert (link.scheme, link.netloc, link.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = parse_qs(link.query, strict_parsing=True)
    assert query == {"repo": [CLONE], "branch": ["spring"],
                     "urlpath": [f"lab/tree/dl-course/notebooks/{chapter}.ipynb"]}
    # the path after the clone folder is a notebook of this repository
    assert (REPO / query["urlpath"][0].split("/", 3)[3]).is_file()


def test_the_command_prints_one_link_per_chapter():
    result = subprocess.run([sys.executable, str(REPO / "course.py"), "links", "--hub", HUB, "--repo", CLONE],
                            capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == CHAPTERS
    assert all("git-pull?repo=https%3A%2F%2Fgithub.com%2Four-dept%2Fdl-course.git" in line for line in lines)


@pytest.mark.parametrize("hub, repo, chapter, message", [
    ("hub.example.edu", CLONE, CHAPTERS[0], "hub: expected an http"),
    (HUB, "git@github.com:x/y.git", CHAPTERS[0], "repo: expected an http"),
    (HUB, CLONE, "16_transformers", "chapter: expected one of"),
])
def test_bad_input_names_what_was_expected(hub, repo, chapter, message):
    with pytest.raises(ValueError, match=message):
        hub_links.chapter_link(hub, repo, chapter)
