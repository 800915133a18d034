"""Chinese search, a nav that does not grow with the records, several communities in one site."""

from __future__ import annotations

import json
import re

from conftest import article, build_project, community_files, meeting, soup
from generator.web.pages import LIST_LIMIT


def search_tokens(site, location_prefix: str) -> set[str]:
    """Tokens the client-side search will match, split with the index's own separator."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    tokens: set[str] = set()
    for doc in index["docs"]:
        if doc["location"].startswith(location_prefix):
            for field in (doc["title"], re.sub(r"<[^>]+>", " ", doc["text"])):
                tokens.update(t for t in separator.split(field) if t)
    return tokens


def test_search_finds_a_two_character_word_from_the_middle_of_a_title_and_body(tmp_path):
    files = community_files()
    files["site_data/ceshi/dangwu/a.yaml"] = meeting(
        "s-1", "关于老旧小区楼道照明改造的公示", 正文="居民反映夜间出行不便，社区决定更换路灯。"
    )
    site = build_project(tmp_path, files)
    tokens = search_tokens(site, "ceshi/party/s-1/")
    assert "照明" in tokens  # from the middle of the title
    assert "路灯" in tokens  # from the middle of the body


def test_search_index_of_example_segments_chinese(example_site):
    tokens = search_tokens(example_site, "lijianglu/")
    assert {"公示", "社区", "党费"} <= tokens


def test_search_index_holds_notices_not_lists_of_them_and_no_idle_word_marks(example_site):
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].partition("#")[0] for doc in index["docs"]}
    assert "lijianglu/party/2024-dw-001/" in pages and "lijianglu/" in pages
    assert not pages & {"lijianglu/party/", "lijianglu/finance/", "lijianglu/archive/", "lijianglu/tags/"}
    text = "".join(doc["title"] + doc["text"] for doc in index["docs"])
    assert "\u200b" in text  # the marks between words stay: they are what splits Chinese
    assert not re.search("\u200b[，。、；：！？（）“”\\s]|[，。、；：！？（）“”\\s]\u200b", text)


def _nav_links(page) -> int:
    nav = soup(page).select_one("nav.md-nav--primary")
    return len(nav.find_all("a"))


def test_nav_does_not_grow_with_the_number_of_records(tmp_path):
    counts = []
    for n in (2, 40):
        files = community_files()
        for i in range(n):
            files[f"site_data/ceshi/dangwu/{i}.yaml"] = meeting(f"m-{i}", f"第{i}次支部委员会")
        site = build_project(tmp_path / str(n), files)
        counts.append(_nav_links(site / "ceshi" / "party" / "m-1" / "index.html"))
        assert (site / "ceshi" / "party" / f"m-{n - 1}" / "index.html").is_file()
    assert counts[0] == counts[1]
    assert counts[0] < 20


def test_a_family_index_lists_the_newest_and_the_archive_by_year_holds_the_rest(tmp_path):
    files = community_files()
    for i in range(LIST_LIMIT + 20):
        day = f"{2023 + i % 2}-{1 + i % 11:02d}-{1 + i % 28:02d}"
        files[f"site_data/ceshi/dangwu/{i}.yaml"] = meeting(f"m-{i}", f"第{i}次支部委员会", day)
    site = build_project(tmp_path, files)
    family = article(site / "ceshi" / "party" / "index.html")
    newest = [a["href"].strip("/").split("/")[-1] for a in family.select("ul.gk-list li > a:first-child")]
    assert len(newest) == LIST_LIMIT
    assert all(id_.startswith("m-") for id_ in newest)
    assert f"共 {LIST_LIMIT + 20} 条" in family.get_text()
    years = [a["href"].strip("/").split("/")[-1] for a in family.select("p.gk-more a")]
    assert years and years == sorted(years, reverse=True)
    on_year_pages = set()
    for year in years:
        page = article(site / "ceshi" / "archive" / year / "index.html")
        on_year_pages |= {a["href"].strip("/").split("/")[-1] for a in page.select("ul.gk-list li > a:first-child")}
    # Every notice is a click away: among the newest, or on a year page the index links to.
    assert set(newest) | on_year_pages == {f"m-{i}" for i in range(LIST_LIMIT + 20)}


def test_two_communities_have_their_own_home_records_and_footer(tmp_path):
    files = community_files("dongcheng", "东城社区")
    files.update({k: v for k, v in community_files("xicheng", "西城社区").items() if "community" in k})
    files["site_data/dongcheng/dangwu/a.yaml"] = meeting("dc-1", "东城社区支部委员会会议")
    files["site_data/xicheng/dangwu/a.yaml"] = meeting("xc-1", "西城社区支部委员会会议")
    site = build_project(tmp_path, files)
    for cid, name, own, other in (("dongcheng", "东城社区", "dc-1", "xc-1"), ("xicheng", "西城社区", "xc-1", "dc-1")):
        home = site / cid / "index.html"
        assert article(home).find("h1").get_text(strip=True) == name
        links = [a["href"] for a in article(home).find_all("a")]
        assert any(own in h for h in links) and not any(other in h for h in links)
        assert (site / cid / "party" / own / "index.html").is_file()
        assert f"{name}居民委员会" in soup(home).find("footer").get_text()
    portal = article(site / "index.html").get_text()
    assert "东城社区" in portal and "西城社区" in portal


def test_same_id_in_two_communities_is_refused(tmp_path):
    import pytest

    from generator.errors import RecordsInvalid

    files = community_files("dongcheng", "东城社区")
    files.update({k: v for k, v in community_files("xicheng", "西城社区").items() if "community" in k})
    files["site_data/dongcheng/a.yaml"] = meeting("same-1", "会议甲")
    files["site_data/xicheng/a.yaml"] = meeting("same-1", "会议乙")
    with pytest.raises(RecordsInvalid) as caught:
        build_project(tmp_path, files)
    assert [p.format() for p in caught.value.problems] == [
        "site_data/xicheng/a.yaml:1:5: 编号: 编号“same-1”与 site_data/dongcheng/a.yaml 重复 → "
        "换一个从未用过的编号（编号一经发布不再改动、不再重复使用）"
    ]
