"""``mkdocs serve`` re-renders the site when a workshop file is saved."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import dated
from tests.serving import LOCAL_HOST, free_port, mkdocs_serve, wait_until
from tests.test_site import ENV, copy_repo


def test_saving_a_workshop_rerenders_the_page(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    port = free_port()
    url = f"http://{LOCAL_HOST}:{port}/playbook/workshops/northwind-retail/"
    with mkdocs_serve(root, port, dated(ENV)) as server:
        status, _ = wait_until(url, "Post-purchase personalization", 120)
        assert status == 200, "the server did not come up"
        source = root / "workshops" / "northwind-retail.yaml"
        text = source.read_text(encoding="utf-8")
        source.write_text(
            text.replace(
                "title: Post-purchase personalization for online and store customers",
                "title: Renamed while serving",
            ),
            encoding="utf-8",
        )
        assert "Renamed while serving" in wait_until(url, "Renamed while serving", 60)[1]
    assert "Traceback" not in server.log
