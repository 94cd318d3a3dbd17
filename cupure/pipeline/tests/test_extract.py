import datetime as dt
import time
from pathlib import Path

import pytest

from cupure.pipeline.extract import MAX_ELEMENTS, decode_html, extract_article, feed_body_is_complete

PAGES = Path(__file__).resolve().parent.parent / "testdata" / "pages"


@pytest.fixture(scope="module")
def harbour():
    return extract_article((PAGES / "harbour_news.html").read_bytes(), url="https://ledger.example/a?id=1")


def test_it_extracts_the_article_paragraphs_with_blank_lines_between(harbour):
    assert harbour.text.startswith("The little blue ferry")
    assert "A late spring timetable" in harbour.text
    assert "\n\nAbout forty passengers" in harbour.text


def test_it_leaves_out_navigation_newsletter_related_links_and_footer(harbour):
    for furniture in (
        "Sport",
        "newsletter",
        "Sign up now",
        "Quay wall repairs",
        "Related stories",
        "Copyright",
    ):
        assert furniture not in harbour.text


def test_it_does_not_repeat_the_headline_in_the_body(harbour):
    assert "Harbour ferry returns" not in harbour.text


def test_it_reads_metadata_from_json_ld_and_meta_tags(harbour):
    assert harbour.title == "Harbour ferry returns after winter repairs"
    assert harbour.author == "Mara Quill"
    assert harbour.published_at == dt.datetime(2024, 3, 5, 7, 30, tzinfo=dt.UTC)
    assert harbour.language == "en"
    assert harbour.image == "https://ledger.example/img/ferry.jpg"
    assert harbour.canonical_url == "https://ledger.example/news/harbour-ferry-returns"


def test_it_renders_simple_html_with_headings_and_paragraphs(harbour):
    assert "<h2>A late spring timetable</h2>" in harbour.html
    assert harbour.html.count("<p>") == 4
    assert harbour.method in {"trafilatura", "readability", "jsonld"}


def test_it_finds_a_charset_declared_after_the_first_kilobyte():
    data = (PAGES / "latin1_late_meta.html").read_bytes()
    assert "Straßenbahn" in decode_html(data)
    article = extract_article(data)
    assert "frischen Äpfeln" in article.text
    assert article.language == "de"


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (
            "<p>caf\u00e9</p>".encode("utf-8-sig"),
            "text/html; charset=iso-8859-1",
            "café",
        ),  # BOM wins (WHATWG)
        ("<p>caf\u00e9</p>".encode("cp1252"), "text/html; charset=windows-1252", "café"),  # HTTP header
        ("<p>caf\u00e9</p>".encode("utf-16-le"), None, "caf"),  # no BOM, not ASCII-compatible: no crash
        ("<meta charset=utf-8><p>caf\u00e9</p>".encode("cp1252"), None, "caf"),  # false declaration
    ],
)
def test_it_decodes_by_bom_header_and_declaration_without_raising(data, content_type, expected):
    assert expected in decode_html(data, content_type=content_type).replace("\x00", "")


@pytest.mark.parametrize(
    "page", [b"", b"   ", "<html><body></body></html>", "<html><body><nav></nav></body></html>"]
)
def test_it_returns_an_empty_article_for_pages_without_content(page):
    article = extract_article(page)
    assert article.text == ""
    assert article.method == "none"


@pytest.mark.parametrize(
    "page",
    [
        b"\x00\xff\xfe garbage",
        "<?xml version='1.0'?><p>x",
        b"<html>\xc3\x28</p></div>",
        # a streamed segment placed inside itself, and a boundary with no end
        "<div hidden id='S:0'><template id='B:0'></template><p>x</p></div><script>$RC('B:0','S:0')</script>",
        "<!--$?--><template id='B:1'></template><p>y</p><script>$RC('B:1','S:9');$RS('S:1','P:1')</script>",
    ],
)
def test_it_never_raises_on_broken_input(page):
    assert extract_article(page, url="not a url").text is not None


def test_it_stays_bounded_on_a_huge_div_soup():
    soup = "<html><body>" + "<div><span>word</span> <a href='#'>x</a></div>" * 60_000 + "</body></html>"
    assert soup.count("<") > 10 * MAX_ELEMENTS
    started = time.perf_counter()
    extract_article(soup.encode())
    assert time.perf_counter() - started < 8


LONG = " ".join(["The council met on Monday to discuss the budget for the coming year."] * 20)


@pytest.mark.parametrize(
    ("body", "page_text", "complete"),
    [
        (f"<p>{LONG}</p>", None, True),
        ("<p>The council met on Monday.</p>", None, False),  # too short to be a whole article
        (f"<p>{LONG}</p><p><a href='/x'>Continue reading</a></p>", None, False),
        (f"<p>{LONG} and then the mayor said…</p>", None, False),
        (f"<p>{LONG}</p><p>The post Budget day appeared first on Town News.</p>", None, False),
        (f"<p>{LONG}</p>", LONG + " " + LONG, False),  # the page holds twice the text
    ],
)
def test_feed_body_is_complete_only_for_long_untruncated_bodies(body, page_text, complete):
    assert feed_body_is_complete(body, page_text=page_text) is complete


def test_it_reads_utf8_with_one_broken_sequence_as_utf8():
    # A teaser cut mid-character leaves one invalid byte in an otherwise UTF-8 page.
    page = ("<p>" + "Zażółć gęślą jaźń. " * 20 + "</p>").encode() + b"<p>papieros\xc3...</p>"
    text = decode_html(page)
    assert "Zażółć gęślą jaźń" in text
    assert "papieros\ufffd" in text


def test_an_article_saved_through_a_wrong_charset_is_printed_as_written():
    # The site stored UTF-8 read as Latin-1: its (valid UTF-8) page says "Itâ" + two C1 controls.
    garbled = "It\u2019s the council\u2019s budget \u2014 again".encode().decode("latin-1")
    body = "".join(f"<p>{garbled}. {_paragraph(n)}</p>" for n in range(4))
    page = f"<html><head><title>{garbled}</title></head><body><article>{body}</article></body></html>"
    article = extract_article(page.encode())
    assert article.title == "It’s the council’s budget — again"
    assert "It’s the council’s budget — again." in article.text
    assert "council’s" in article.html and "\u00e2" not in article.text + article.html


def test_a_no_break_space_stored_as_utf8_twice_leaves_no_stray_letter():
    # "cats.Â" + no-break space: the space survived as UTF-8 read as Latin-1 and written as UTF-8 again.
    body = "".join(
        f"<p>{_paragraph(n)}\u00c2\u00a0The premium for cats was lower.\u00c2\u00a0</p>" for n in range(4)
    )
    article = extract_article(f"<html><body><article>{body}</article></body></html>".encode())
    assert "The premium for cats was lower." in article.text
    assert "\u00c2" not in article.text + article.html


def _paragraph(n: int) -> str:
    """A paragraph of article prose, a different one for each ``n`` (repeats are a second rendering)."""
    return (
        f"The survey found that prices rose in {n + 3} of the regions it covered over the year. "
        f"Rents followed in {n + 2} of them, and wages kept pace in only {n + 1}, the report said."
    )


def test_it_keeps_the_article_after_an_inline_related_box():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import cut_at_end_marker

    prose = "The survey found that prices rose in most of the regions it covered over the year. " * 3
    blocks = [Block("p", prose)] * 4 + [
        Block("p", "Related"),
        Block("li-ul", "Another story about prices", link_share=1.0),
        Block("h2", "Sales volume"),
        Block("p", prose),
        Block("p", prose),
        Block("p", prose),
        Block("h2", "Comments"),
        Block("p", "Nice article, thanks!"),
    ]
    kept = cut_at_end_marker(blocks)
    assert [b.text for b in kept] == [prose] * 4 + ["Sales volume", prose, prose, prose]


def test_it_drops_contents_heading_leading_date_byline_and_closing_cookie_notice():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import clean_blocks

    first, second = _paragraph(1), _paragraph(2)
    blocks = [
        Block("p", "Last updated on September 16th, 2023 at 09:27 am"),
        Block("p", "5 min read"),
        Block("p", "By Jane Doe"),
        Block("h2", "Table of Contents"),
        Block("p", first),
        Block("p", "By the end of the year, the gap had closed."),
        Block("p", second),
        Block("row", "Cookie | Duration | Description"),
        Block("row", "viewed_cookie_policy | 11 months | Stores the user's cookie consent."),
    ]
    kept = [b.text for b in clean_blocks(blocks, None)]
    assert kept == [first, "By the end of the year, the gap had closed.", second]


def test_meta_lines_joined_by_separators_or_line_breaks_do_not_open_the_body():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import clean_blocks

    first, second = _paragraph(1), _paragraph(2)
    for meta in (
        ["Jun 08, 2023 \u2022 11 Minute Read"],
        ["by Jane Doe\u201410 min read"],
        ["August 16, 2019 - Updated July 9, 2025", "3 MIN. READ"],
        ["Posted on December 18, 2025\nPosted by Jane Doe"],
        ["Estimated reading time: 6 minutes", "2 days ago"],
        ["Listen to this article in summarized format"],
        ["Written by", "Last updated on:", "October 1, 2025"],  # labels, their values set below them
    ):
        blocks = [Block("p", line) for line in meta] + [Block("p", first), Block("p", second)]
        assert [b.text for b in clean_blocks(blocks, None)] == [first, second], meta
    opening = [Block("p", "May 4 marked the end of the strike."), Block("p", first)]
    assert [b.text for b in clean_blocks(opening, None)] == ["May 4 marked the end of the strike.", first]


def test_it_drops_affiliate_disclosures_newsletter_boxes_photo_credits_and_author_boxes():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import clean_blocks

    prose = [_paragraph(n) for n in range(4)]
    blocks = [
        Block("p", "This post contains affiliate links. If you buy through them, we may earn a commission."),
        Block("p", prose[0]),
        Block("p", "Foto: dpa / Jane Doe"),
        Block("p", "Image credit: © Example Photos"),
        Block("p", prose[1]),
        Block("p", prose[2]),
        Block("p", prose[3]),
        Block("p", "By submitting this form, you are consenting to be contacted by SMS text message."),
        Block("p", "Message & data rates may apply. Reply STOP to opt out."),
        Block("p", "Enjoyed this piece? We need your help to keep publishing."),
        Block("p", "The Review is a non-profit kept alive by reader donations: no ads, no paywalls."),
        Block("p", "Get the best stories delivered straight to your inbox. Sign up for our newsletter."),
        Block("p", "Email Jane Doe at jdoe@example.org or follow her @janedoe. Follow us on Twitter."),
        Block("p", "Follow Harbour Radio on Instagram, Facebook and YouTube."),
        Block("p", "If you enjoyed this article, we have a proposition for you: join our members."),
        Block("p", "Get Harbour Monthly delivered to your door every month: 12 issues for £11.99."),
        Block(
            "p",
            "This entry was posted on Monday, May 4th, 2020 at 9:12 am and is filed under Harbour."
            " You can follow any responses to this entry through the RSS 2.0 feed.",
        ),
        Block(
            "p",
            "Der Beitrag wurde unter Hafen abgelegt. Die Kommentare im RSS 2.0 Feed verfolgen.",
        ),
        Block("p", "Jane Doe is a senior reporter covering housing and the economy."),
    ]
    assert [b.text for b in clean_blocks(blocks, None)] == prose
    disclaimers = [
        "This article is intended for educational and informational purposes only. Consult a professional.",
        "Certified Financial Planner Board of Standards Inc. owns the certification marks CFP®.",
        "The views above do not constitute investment advice.",
    ]
    blocks = [Block("p", p) for p in prose] + [Block("p", d) for d in disclaimers]
    assert [b.text for b in clean_blocks(blocks, None)] == prose


def test_it_keeps_prose_that_merely_mentions_commissions_credits_or_people():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import clean_blocks

    first, second = _paragraph(1), _paragraph(2)
    kept_texts = [
        "The city commission approved the new budget on Tuesday after a long debate.",
        "Photos of the flood spread quickly on social media, the mayor said.",
        second,
        "Gluten is a protein found in wheat, barley and rye.",
        "Maria Lopez is a nurse who has worked at the hospital for twenty years.",
        "Schreibt die Zeitung in einem Kommentar: Die neue Mauer kommt zu spät.",
        "Patients who consent to receive the trial drug are followed for two years.",
        '"We need your help to find him before nightfall," the coastguard said on Sunday.',
        "The reader subscribes to the harbour's RSS 2.0 feed to get the tide tables each morning.",
        "The harbour office says the old charts are intended for collectors rather than sailors.",
    ]
    blocks = [Block("p", first)] + [Block("p", t) for t in kept_texts]
    assert [b.text for b in clean_blocks(blocks, None)] == [first, *kept_texts]


def test_a_linked_teaser_heading_after_an_inline_box_is_not_where_the_article_resumes():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import cut_at_end_marker

    prose = "The survey found that prices rose in most of the regions it covered over the year. " * 3
    blocks = [Block("p", prose)] * 4 + [
        Block("p", "Leggi anche"),
        Block("h2", "Another story about prices in the north", link_share=1.0),
        Block("p", prose),
    ]
    kept = cut_at_end_marker(blocks)
    assert [b.text for b in kept] == [prose] * 5


def test_a_guide_s_source_list_and_an_invitation_to_other_topics_end_the_article():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import cut_at_end_marker

    prose = [Block("p", _paragraph(n)) for n in range(4)]
    for marker in (
        "Article Sources",
        "References & Citations",
        "You might also be interested in:",
    ):
        tail = [Block("h2", marker), Block("p", "https://example.org/appliance-market-report-2023")]
        assert cut_at_end_marker(prose + tail) == prose


def test_a_related_marker_on_a_line_of_its_own_inside_the_last_paragraph_ends_the_article():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import cut_at_end_marker

    prose = [_paragraph(n) for n in range(4)]
    closing = Block(
        "p", "Dieser Artikel erschien zuerst im Hafenblatt.\nMehr Themen:", "erschien zuerst<br>Mehr Themen:"
    )
    teaser = Block("p", "Diese Artikel könnten euch auch interessieren:\nNeue Fähren für die Nordküste")
    for tail in ([closing], [teaser, Block("p", prose[0])]):
        kept = cut_at_end_marker([Block("p", p) for p in prose] + tail)
        texts = [b.text for b in kept]
        assert (
            texts[:4] == prose
            and "Mehr Themen" not in " ".join(texts)
            and "interessieren" not in " ".join(texts)
        )
    assert cut_at_end_marker([Block("p", p) for p in prose] + [closing])[-1].html == "erschien zuerst"
    # The whole article in one block, as some extractors render a page of <br>-separated lines.
    whole = Block("p", "\n".join([*prose, "Mehr Themen:", "Neue Fähren für die Nordküste"]))
    assert [b.text for b in cut_at_end_marker([whole])] == ["\n".join(prose)]


def test_closing_further_information_publication_next_article_tags_or_donation_sections_are_left_out():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import cut_at_end_marker

    prose = [Block("p", _paragraph(n)) for n in range(4)]
    for marker, rest in (
        ("Weitere Informationen zum Hafenausbau:", "Quelle: Hafenamt Averly"),
        ("Originalpublikation", "Beispiel A., Muster B. (2026): Harbour walls and storms. J. Coast. 12, 34."),
        ("Vorschau auf den nächsten Artikel", "Am Donnerstag geht es um die neuen Fähren."),
        ("Schlagwörter:", "Hafen Sturm Averly"),
        ("Unterstütze das Hafenblatt schon mit 3 Euro!", "Wusstest du, dass wir ohne Werbung arbeiten?"),
        ("Auch auf hafenblatt.de", "Neue Fähren für die Nordküste"),
        ("Further reading", "The best ferries for the north coast"),
        ("Related Products", "Harbour Pro 3 storm shutter"),
        ("Explore more", "Ten walks along the old quay"),
        ("Republish this article", "You may republish this story under a free licence."),
    ):
        assert cut_at_end_marker([*prose, Block("h3", marker), Block("p", rest)]) == prose


def test_a_closing_paragraph_labelled_about_the_author_is_left_out():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import drop_author_bio

    prose = [Block("p", _paragraph(n)) for n in range(5)]
    for label in ("About the author:", "Über den Autor:"):
        bio = Block("p", f"{label} Mara Quill has sailed the coast for thirty years and now keeps bees.")
        assert drop_author_bio([*prose, bio]) == prose
    # The words in a sentence of the article are no label.
    own = Block("p", "About the author of the harbour plan, little is known: she left the town in 1990.")
    assert drop_author_bio([*prose, own]) == [*prose, own]


def test_a_menu_line_amid_a_long_block_does_not_cut_the_article():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import cut_at_end_marker

    prose = [_paragraph(n) for n in range(4)]
    page_long = Block("p", "\n".join(["Home", "Latest News", *prose]))
    assert cut_at_end_marker([Block("p", p) for p in prose] + [page_long])[-1] == page_long


def test_soft_hyphens_do_not_split_words():
    from cupure.pipeline.extract.blocks import clean_text

    assert clean_text("wich\u00adti\u00adge Ent\u00adde\u00adckun\u00adgen") == "wichtige Entdeckungen"


def test_trafilatura_wins_over_json_ld_when_it_renders_the_same_text_more_fully():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.candidates import Candidate, choose
    from cupure.pipeline.extract.metadata import PageMeta

    paragraphs = [
        f"Paragraph {i} tells the reader what happened at the harbour on day {i} of the works."
        for i in range(8)
    ]
    standfirst = Block("p", "The harbour reopens after two years of works.")
    jsonld = Candidate("jsonld", [Block("p", p) for p in paragraphs])
    traf = Candidate("trafilatura", [standfirst] + [Block("p", p) for p in paragraphs])
    assert choose([traf, jsonld], PageMeta()).method == "trafilatura"
    # A trafilatura body that is a different text (a teaser list, another container) does not win.
    other = Candidate("trafilatura", [Block("p", p.replace("harbour", "station")) for p in paragraphs])
    assert choose([other, jsonld], PageMeta()).method == "jsonld"


def test_a_page_that_renders_its_article_twice_gives_the_text_once():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import clean_blocks

    article = [Block("h2", "Prices"), Block("p", _paragraph(1))] + [
        Block("h2", "Rents"),
        Block("p", _paragraph(2)),
    ]
    closing = _paragraph(3)
    blocks = [*article, Block("p", "Photos"), *article, Block("p", closing), Block("p", "Photos")]
    kept = [b.text for b in clean_blocks(blocks, None)]
    # The second copy of the article goes; a short label seen twice is not a copy of anything.
    assert kept == ["Prices", _paragraph(1), "Rents", _paragraph(2), "Photos", closing, "Photos"]


def test_it_drops_app_channel_sign_in_read_also_pitch_and_comment_furniture_in_several_languages():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import clean_blocks

    prose = [_paragraph(n) for n in range(4)]
    furniture = [
        "Czytaj też: Wyścig o fotel burmistrza nabiera tempa",
        "Lesen Sie auch: Der Hafen bekommt eine neue Mauer",
        "For the latest stories download the Harbour Courier apps for iOS and Android.",
        "¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular en este enlace.",
        "Lass dir die besten Storys jede Woche in deinen Posteingang liefern. Melde dich hier an!",
        "Klicken Sie auf den unteren Button, um den Inhalt von www.example.de zu laden.",
        "Sie sind aktuell nicht eingeloggt.",
        "Gefällt mir:",
        "Aktualisiert am 17.01.2021.",
        "Tú también puedes hacer periodismo incómodo. Cancela cuando quieras.",
        "Die Kapitänin am Kai von Port Averly. © AFP / Jane Doe",
        "Fot. Jan Kowalski / Agencja Gazeta",
        "Subscribe now to our weekend edition for the full story.",
        "Do you want to hear about our next events? Sign up here",
        "Verraten Sie gerne in den Kommentaren: Wie gefällt Ihnen die neue Hafenmauer?",
        "Gefällt mir Lade...",
        '... weiter zu "Die Wortwahl"',
    ]
    blocks = [Block("p", prose[0]), Block("p", prose[1])]
    blocks += [Block("p", t) for t in furniture[:6]] + [Block("p", prose[2])]
    blocks += [Block("p", t) for t in furniture[6:]] + [Block("p", prose[3])]
    assert [b.text for b in clean_blocks(blocks, None)] == prose


def test_it_keeps_prose_about_apps_channels_and_dates():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import clean_blocks

    kept_texts = [
        "The ferry company said its app for iOS and Android had crashed during the storm.",
        "Seit dem 17.01.2021 gilt im Hafen eine neue Regel für Fähren und Frachter.",
        "The minister posted the statement on Telegram late on Sunday night.",
        "Thousands follow the ferry's captain on Instagram, where he posts the sunrise each day.",
        "A yearly subscription to the ferry timetable is $29.99. Get a day pass for $4.",
        "A native app is built for one system, iOS or Android. You install it from the App Store.",
        "© 2026 Meridian Wire. All rights reserved. This material may not be republished.",
    ]
    blocks = [Block("p", _paragraph(1))] + [Block("p", t) for t in kept_texts]
    assert [b.text for b in clean_blocks(blocks, None)] == [_paragraph(1), *kept_texts]


def _page(head: str, body: str) -> str:
    return f"<html><head><title>Harbour report</title>{head}</head><body>{body}</body></html>"


def test_an_article_printed_after_the_closing_html_tag_is_still_extracted():
    # Browsers keep building the body after a premature </body></html>; the article must not vanish.
    menu = "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(5))
    page = f"<html><head><title>Harbour report</title></head><body>{menu}</body></html>"
    page += f"<div class='post'><h1>Harbour report</h1>{article}</div>"
    text = extract_article(page).text
    assert _paragraph(0) in text and _paragraph(4) in text


def test_a_streamed_article_is_read_where_the_browser_places_it():
    # React streaming: a placeholder with a spinner, the content later in a hidden div, a script moving it.
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(1, 5))
    body = (
        f"<main><h1>Harbour report</h1><p>{_paragraph(0)}</p><!--$?--><template id='B:0'></template>"
        f"<p>Loading the rest of the article, please wait a moment…</p><!--/$--><p>{_paragraph(5)}</p></main>"
        f"<div hidden id='S:0'><div>{article}</div></div>"
        '<script>$RC("B:0","S:0")</script>'
    )
    text = extract_article(_page("", body)).text
    assert text.split("\n\n") == [_paragraph(n) for n in range(6)]


def test_a_streamed_article_saved_without_its_scripts_is_placed_by_the_segments_numbers():
    # Ids are hexadecimal ("S:a"); without the scripts, a segment fills the slot of its own number.
    body = (
        f"<main><h1>Harbour report</h1><p>{_paragraph(0)}</p><template id='P:a'></template>"
        f"<p>{_paragraph(3)}</p><!--$?--><template id='B:1f'></template><p>Loading…</p><!--/$--></main>"
        f"<div hidden id='S:a'><h2>What the surveyors found</h2><p>{_paragraph(1)}</p>"
        f"<p>{_paragraph(2)}</p></div>"
        f"<div hidden id='S:1f'><p>{_paragraph(4)}</p><p>{_paragraph(5)}</p></div>"
    )
    text = extract_article(_page("", body)).text
    assert text.split("\n\n") == [
        _paragraph(0),
        "What the surveyors found",
        *(_paragraph(n) for n in range(1, 6)),
    ]


def test_collapsed_accordion_answers_are_part_of_the_article_and_hidden_menus_are_not():
    intro = "".join(f"<p>{_paragraph(n)}</p>" for n in range(8))
    panels = "".join(
        f"<h3><button aria-controls='answer-{n}' aria-expanded='false'>Question {n}</button></h3>"
        f"<div id='answer-{n}' role='region' style='display:none'><p>{_paragraph(10 + n)}</p></div>"
        for n in range(3)
    )
    menu = (
        "<button aria-controls='site-menu'>Menu</button>"
        "<div id='site-menu' class='menu' style='display:none'>"
        "<p>Subscribe to every newsletter we publish about the harbour and the whole coast today.</p></div>"
    )
    body = f"{menu}<article><h1>Harbour report</h1>{intro}{panels}</article>"
    text = extract_article(_page("", body)).text
    assert all(_paragraph(10 + n) in text for n in range(3))
    assert "Subscribe to every newsletter" not in text


def test_readability_prose_replaces_a_trafilatura_body_of_page_scraps():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.candidates import Candidate, choose
    from cupure.pipeline.extract.metadata import PageMeta

    scraps = Candidate("trafilatura", [Block("p", "LOGIN\nFrontpage\n94\nby\nrivera\n3 min read\nComments")])
    prose = Candidate("readability", [Block("p", _paragraph(n)) for n in range(4)])
    assert choose([scraps, prose], PageMeta()).method == "readability"
    # A short but real trafilatura body is not replaced by a longer neighbour.
    short = Candidate("trafilatura", [Block("p", _paragraph(9))])
    assert choose([short, prose], PageMeta()).method == "trafilatura"


def test_readability_wins_when_it_holds_trafilatura_s_text_and_a_section_more():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.candidates import Candidate, choose
    from cupure.pipeline.extract.metadata import PageMeta

    article = [Block("p", _paragraph(n)) for n in range(8)]
    # trafilatura pruned the closing checklist; readability kept it: a fifth of its text is new,
    # though it is not a quarter longer.
    checklist = [
        Block("li-ul", line)
        for line in (
            "Check every mooring line and fender before the evening tide turns against the quay",
            "Log the pontoon repairs with the harbour office so insurers can see the dates",
            "Ask the fuel dock when its new pumps open, since winter hours start next month",
        )
    ]
    traf = Candidate("trafilatura", article)
    read = Candidate("readability", article + checklist)
    assert 1 < read.words / traf.words < 1.25
    assert choose([traf, read], PageMeta()).method == "readability"
    # A readability body of the same text and a line or two of furniture is no reason to switch.
    furniture = Candidate("readability", article + [Block("p", "Share this story")])
    assert choose([traf, furniture], PageMeta()).method == "trafilatura"


def test_readability_s_extra_text_above_the_story_is_no_reason_to_switch_but_a_pruned_part_is():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.candidates import Candidate, choose
    from cupure.pipeline.extract.metadata import PageMeta

    article = [Block("p", _paragraph(n)) for n in range(4)]
    # A photo gallery's captions printed above the story: readability took them, trafilatura did not.
    captions = [
        Block("p", text)
        for text in (
            "Fishing boats wait out the storm in the inner basin while the harbour master checks the ropes.",
            "Volunteers carry sandbags along the sea wall at dawn, before the highest tide of the year.",
            "The lifeboat crew returns after a night search off the point, the helicopter above.",
        )
    ]
    traf = Candidate("trafilatura", article)
    assert choose([traf, Candidate("readability", captions + article)], PageMeta()).method == "trafilatura"
    # The same text in the middle of the story is a part trafilatura pruned.
    middle = Candidate("readability", article[:2] + captions + article[2:])
    assert choose([traf, middle], PageMeta()).method == "readability"


def test_a_company_blurb_only_trafilatura_kept_does_not_hide_the_list_readability_found():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.candidates import Candidate, choose
    from cupure.pipeline.extract.metadata import PageMeta

    article = [Block("p", _paragraph(n)) for n in range(4)]
    steps = [
        Block(
            "li-ul",
            f"Step {n}: reconcile the harbour office's accounts against the bank statement each week.",
        )
        for n in range(6)
    ]
    blurb = Block(
        "p",
        "Harbour Accounts carries professional liability insurance and bonds every employee who handles"
        " client funds, and all of our accountants are certified and background-checked before they start."
        " Every month your books are reviewed by a senior accountant, and every quarter by a partner, so that"
        " the figures you take to your bank or your investors are complete, consistent and ready to audit.",
    )
    traf = Candidate("trafilatura", [*article, blurb])  # pruned the list, kept the blurb
    read = Candidate("readability", article[:2] + steps + article[2:])
    assert choose([traf, read], PageMeta()).method == "readability"


def test_readability_also_runs_on_a_page_whose_text_sits_in_lists_rather_than_paragraphs():
    from lxml import html

    from cupure.pipeline.extract.candidates import paragraph_words, text_block_words

    page = html.fromstring(
        "<html><body><p>One short opening line.</p><ul>"
        "<li><p>Check every mooring line before the tide turns.</p><ul><li>Twice a day.</li></ul></li>"
        "<li>Log the pontoon repairs with the harbour office.</li></ul>"
        "<table><tr><td>Ask the fuel dock when its new pumps open.</td></tr></table>"
        "<div>Menu</div></body></html>"
    )
    # Each word once: the paragraph and the list inside a list item are counted with the item.
    assert paragraph_words(page) == 12
    assert text_block_words(page) == 4 + 8 + 3 + 7 + 9


def test_a_code_block_keeps_its_indentation():
    code = "def harbour_level(tide):\n    if tide > 3:\n        return 'high'\n    return 'low'"
    body = f"<article><h1>Harbour report</h1><p>{_paragraph(0)}</p><pre><code>{code}</code></pre>"
    article = extract_article(_page("", body + f"<p>{_paragraph(1)}</p></article>"))
    assert code in article.text
    assert "<pre>def harbour_level(tide):\n    if tide &gt; 3:\n        return 'high'" in article.html


def test_a_code_block_broken_into_lines_by_br_tags_keeps_its_lines():
    from lxml import etree

    from cupure.pipeline.extract.blocks import blocks_from_html, blocks_from_trafilatura

    code = "import os<br><br>print(<b>os</b>.getcwd())<!-- a comment: its text is not code --><br>    # done"
    assert blocks_from_html(f"<pre>{code}</pre>")[0].text == "import os\n\nprint(os.getcwd())\n    # done"
    xml = "<body><code>import os<lb/>print(os.getcwd())</code></body>"
    assert blocks_from_trafilatura(etree.fromstring(xml))[0].text == "import os\nprint(os.getcwd())"


def test_nested_inline_markup_keeps_its_reading_order():
    from lxml import etree

    from cupure.pipeline.extract.blocks import blocks_from_html, blocks_from_trafilatura

    blocks = blocks_from_html(
        "<p>The <b>ferry <a href='/f'>timetable <i>for May</i></a> changed</b> again.</p>"
    )
    assert [b.text for b in blocks] == ["The ferry timetable for May changed again."]
    # A list item holding a headline and a blurb reads as two lines, not one run-on word.
    item_xml = "<item><head rend='h3'>Ferry returns</head><p>Repairs are done</p></item>"
    xml = f"<body><list rend='ul'>{item_xml}</list></body>"
    item = blocks_from_trafilatura(etree.fromstring(xml))
    assert item[0].text == "Ferry returns\nRepairs are done"


def test_text_lost_before_a_link_in_link_mode_is_recognised_and_links_are_put_back():
    from lxml import html

    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.relink import read_page_links, relink, starts_with_link

    page = html.document_fromstring(
        "<html><body><div>Oftentimes the reason is that nobody spends enough time "
        "<a href='/topics'>picking the right topic</a> before they start writing.</div>"
        "<ul><li><h3><a href='/ferry'>Ferry returns</a></h3><p>Repairs are done</p></li></ul></body></html>"
    )
    links = read_page_links(page)
    # Link mode's block starts at the link: the words before it are gone.
    lost = Block("p", "picking the right topic before they start writing.", '<a href="/topics">x</a> y', 0.5)
    assert starts_with_link([lost]) and links.lost_text_before_link([lost])
    whole = Block("p", "Oftentimes the reason is that nobody spends enough time picking the right topic")
    assert not links.lost_text_before_link([whole])
    # Plain mode's blocks get their links back, a card's headline included.
    paragraph = whole.text + " before they start writing."
    card = "Ferry returns\nRepairs are done"
    restored = relink([Block("p", paragraph), Block("li-ul", card)], links)
    assert '<a href="/topics">picking the right topic</a> before' in restored[0].html
    assert restored[0].html.startswith("Oftentimes the reason")
    assert 0.1 < restored[0].link_share < 0.3
    assert restored[1].html == '<a href="/ferry">Ferry returns</a><br>Repairs are done'


def test_plain_mode_keeps_the_text_after_a_link_that_holds_a_comment():
    from lxml import html

    from cupure.pipeline.extract.candidates import plain_trafilatura_candidate
    from cupure.pipeline.extract.relink import read_page_links

    lead = "<p>The <a href='/agenda'>Nutrition meeting<!----></a> brought experts to the coast this week.</p>"
    body = "<article><h1>Harbour report</h1>" + lead + "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    tree = html.document_fromstring(_page("", body + "</article>"))
    candidate = plain_trafilatura_candidate(tree, None, read_page_links(tree))
    assert candidate is not None
    lead_block = next(b for b in candidate.blocks if b.text.startswith("The Nutrition"))
    assert lead_block.text == "The Nutrition meeting brought experts to the coast this week."
    assert (
        lead_block.html
        == 'The <a href="/agenda">Nutrition meeting</a> brought experts to the coast this week.'
    )


def test_a_data_table_in_a_wrapper_named_like_furniture_stays_in_the_article():
    # Site builders wrap a pasted table in a box whose class reads like page furniture ("w-embed").
    rows = "".join(f"<tr><td>Pier {n}</td><td>{n * 4} berths</td></tr>" for n in range(1, 6))
    table = f"<table><tr><th>Pier</th><th>Berths</th></tr>{rows}</table>"
    table = f"<div class='w-embed'><div class='responsive-table'>{table}</div></div>"
    paragraphs = [f"<p>{_paragraph(n)}</p>" for n in range(6)]
    body = "<article><h1>Harbour report</h1><div class='rich-text'>"
    body += "".join(paragraphs[:3]) + table + "".join(paragraphs[3:]) + "</div></article>"
    text = extract_article(_page("", body)).text
    assert "Pier 3 | 12 berths" in text
    assert _paragraph(5) in text


def test_repeated_table_rows_are_data_not_a_second_rendering():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import drop_repeated_runs

    session = "Warm up | 15 minutes of easy jogging, then five strides along the harbour wall at race pace"
    plan = [Block("p", _paragraph(0))] + [
        Block("row", f"Week {n}") if n % 2 else Block("row", session) for n in range(6)
    ]
    assert drop_repeated_runs(plan) == plan
    # The same words as paragraphs, printed again, are a second rendering and go.
    twice = [
        Block("p", _paragraph(0)),
        Block("p", _paragraph(1)),
        Block("p", _paragraph(0)),
        Block("p", _paragraph(1)),
    ]
    assert drop_repeated_runs(twice) == twice[:2]


def test_a_plan_whose_list_repeats_the_same_sessions_each_week_keeps_every_week():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import drop_repeated_runs

    warm_up = "Warm up: 15 minutes of easy jogging, then five strides along the harbour wall at race pace"
    cool_down = "Cool down: ten minutes of walking and gentle stretching on the grass"
    plan = [Block("p", _paragraph(0))]
    for week in range(1, 4):
        plan += [
            Block("h3", f"Week {week}"),
            Block("li-ul", warm_up),
            Block("li-ul", f"Main set: {week + 3} repeats of 800 metres at ten-kilometre pace"),
            Block("li-ul", cool_down),
            Block("li-ul", "Friday: rest day"),
        ]
    assert drop_repeated_runs(plan) == plan
    # A whole list printed again (a takeaways box rendered twice) is still a second rendering.
    takeaways = [Block("li-ul", _paragraph(n)[:200]) for n in range(3)]
    twice = [Block("p", _paragraph(5)), *takeaways, Block("p", _paragraph(6)), *takeaways]
    assert drop_repeated_runs(twice) == twice[:5]


def test_an_accordion_answer_hidden_by_a_class_name_is_opened():
    intro = "".join(f"<p>{_paragraph(n)}</p>" for n in range(12))
    panels = "".join(
        f"<button aria-controls='faq-{n}' aria-expanded='false'>Question {n}</button>"
        f"<div id='faq-{n}' class='accordion-content border hidden'>"
        f"<div><p>{_paragraph(100 + n)}</p></div></div>"
        for n in range(2)
    )
    body = f"<article><h1>Harbour report</h1>{intro}<div class='faq'>{panels}</div></article>"
    text = extract_article(_page("", body)).text
    assert _paragraph(100) in text and _paragraph(101) in text


@pytest.mark.parametrize(
    "article_body",
    [
        "The ferry can&rsquo;t sail yet.\n" + "\n".join(_paragraph(n) for n in range(6)),
        "<p>The ferry can&amp;rsquo;t sail yet.</p>" + "".join(f"<p>{_paragraph(n)}</p>" for n in range(6)),
    ],
    ids=["plain text with entities", "markup with entities escaped twice"],
)
def test_a_json_ld_body_with_escaped_entities_reads_as_the_reader_sees_it(article_body):
    import json

    from lxml import html

    from cupure.pipeline.extract.blocks import blocks_text
    from cupure.pipeline.extract.candidates import build_candidates
    from cupure.pipeline.extract.metadata import read_metadata

    data = json.dumps({"@type": "NewsArticle", "headline": "Harbour report", "articleBody": article_body})
    page = _page(f'<script type="application/ld+json">{data}</script>', "<p>Short teaser only.</p>")
    tree = html.document_fromstring(page)
    candidates = build_candidates(tree, page, None, read_metadata(tree, None))
    jsonld = next(c for c in candidates if c.method == "jsonld")
    assert blocks_text(jsonld.blocks).startswith("The ferry can\u2019t sail yet.")


def test_a_cms_default_account_is_no_author():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    page = _page(
        "<meta name='author' content='admin'>", f"<article><h1>Harbour report</h1>{article}</article>"
    )
    assert extract_article(page).author is None
    named = _page(
        "<meta name='author' content='Ada Rivera'>", f"<article><h1>Harbour report</h1>{article}</article>"
    )
    assert extract_article(named).author == "Ada Rivera"


def test_a_byline_and_date_printed_only_in_the_page_still_reach_the_article():
    # No JSON-LD or <meta> author or date: trafilatura's reading of the page fills them in.
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    byline = "<p class='byline'>By <a rel='author' href='/staff/ada'>Ada Rivera</a></p>"
    stamp = "<time datetime='2026-03-14'>14 March 2026</time>"
    body = f"<article><h1>Harbour report</h1>{byline}{stamp}{article}</article>"
    extracted = extract_article(_page("", body))
    assert extracted.author == "Ada Rivera"
    assert extracted.published_at.date() == dt.date(2026, 3, 14)
    assert extracted.text.startswith(_paragraph(0)[:40])


@pytest.mark.parametrize(
    "byline",
    [
        "<div class='meta'><p class='label'>Written by</p><p class='name'>Ada Rivera</p></div>",
        "<div class='post-meta'><a class='x' href='/authors/ada-rivera'>Ada Rivera</a></div>",
        "<div class='meta'><p class='credit'>Written by Ada Rivera</p></div>",
        "<div class='author'><div class='name'>Ada Rivera</div><div class='post'>Senior Writer</div></div>",
    ],
    ids=["label then name", "a link to the writer's page", "label and name in one text", "name and role"],
)
def test_a_byline_printed_only_in_the_page_is_read_as_the_writer_s_name(byline):
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    body = f"<main><h1>Harbour report</h1>{byline}<div class='content'>{article}</div></main>"
    assert extract_article(_page("", body)).author == "Ada Rivera"


def test_the_writer_named_for_link_previews_is_the_byline_when_nothing_else_names_one():
    # WordPress SEO plugins print "Written by" and the name as the preview card's first label/data pair.
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    card = "<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Ada Rivera'>"
    assert extract_article(_page(card, f"<article>{article}</article>")).author == "Ada Rivera"
    reading_time = card.replace("Written by", "Est. reading time").replace("Ada Rivera", "4 minutes")
    assert extract_article(_page(reading_time, f"<article>{article}</article>")).author is None


def test_a_label_before_two_names_run_together_gives_no_byline():
    from lxml import html

    from cupure.pipeline.extract.metadata import visible_byline

    two_names = "<p>By</p><p><a>Emily Walker</a><a>Casey McDevitt</a></p>"
    page = html.fromstring(f"<html><body>{two_names}</body></html>")
    assert visible_byline(page) is None
    page = html.fromstring("<html><body><p>By</p><p>Ronan McDevitt</p></body></html>")
    assert visible_byline(page) == "Ronan McDevitt"
    # Microdata names the writer even with no label (trafilatura often reads it first).
    microdata = "<span itemprop='author' itemscope><span itemprop='name'>Ada Rivera</span></span>"
    assert (
        visible_byline(html.fromstring(f"<html><body><div>{microdata}</div></body></html>")) == "Ada Rivera"
    )


def _author_given(given: str) -> str | None:
    """The author extracted from an article page whose <meta name="author"> says ``given``."""
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    return extract_article(
        _page(f"<meta name='author' content='{given}'>", f"<article>{article}</article>")
    ).author


def test_a_byline_keeps_the_name_as_the_page_prints_it_without_its_by_word():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    for given, name in [
        ("Von Vanessa Franke", "Vanessa Franke"),
        ("Author: Isaiah Shelton", "Isaiah Shelton"),
        ("Par Attac France", "Attac France"),
        ("by ada rivera", "ada rivera"),
        ("Von der Leyen", "Von der Leyen"),
        ("Zeige alle Beiträge von Petra Ruland", "Petra Ruland"),
        ("Alles von Martin Junker", "Martin Junker"),
        ("Autor www.hafenblog.example", "www.hafenblog.example"),
    ]:
        assert _author_given(given) == name
    # Found only in the page's text, a name in lower case stays so (trafilatura title-cases it).
    byline = (
        "<p class='byline'>Geschrieben von <a rel='author' href='/u/karstenruppert'>karstenruppert</a></p>"
    )
    body = f"<article><h1>Harbour report</h1>{byline}{article}</article>"
    assert extract_article(_page("", body)).author == "karstenruppert"


def test_a_byline_found_by_trafilatura_keeps_the_dots_and_spacing_the_page_prints():
    # trafilatura's author search drops the dots of initials and domains ("Günter W Kienitz").
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    for printed in ("Günter W. Kienitz", "www.hafenblog.example"):
        byline = f"<p class='byline'>By <a rel='author' href='/staff/gk'>{printed}</a></p>"
        body = f"<article><h1>Harbour report</h1>{byline}{article}</article>"
        assert extract_article(_page("", body)).author == printed
    # Printed over two lines of the page's source, the name still reads as one line.
    byline = "<p class='byline'>By <a rel='author' href='/staff/gk'>Günter W.\n      Kienitz</a></p>"
    body = f"<article><h1>Harbour report</h1>{byline}{article}</article>"
    assert extract_article(_page("", body)).author == "Günter W. Kienitz"


def test_a_byline_leaves_out_the_date_and_update_stamp_printed_after_the_name():
    for given, name in [
        ("Ada Rivera December", "Ada Rivera"),
        ("Ada Rivera • March 3, 2026", "Ada Rivera"),
        ("Ada Rivera Last Updated August 1", "Ada Rivera"),
        ("Harbour Desk, October", "Harbour Desk"),
        ("&quot;Ada Rivera&quot;", "Ada Rivera"),
        ("Theresa May", "Theresa May"),  # a month that is a name stays
        ("Anne-Marie Dupont", "Anne-Marie Dupont"),
        ("Dec", None),
        ("Updated January", None),
        ("Ada\n        Rivera", "Ada Rivera"),
        ("Our harbour team writes about boats. " * 10, None),  # a template's paragraph, not a name
    ]:
        assert _author_given(given) == name, given


def test_a_single_letter_is_no_author():
    assert _author_given("r") is None


def test_several_authors_read_as_the_byline_prints_them_and_entities_and_lead_ins_go():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    two = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour report",'
        ' "author": [{"name": "Fiona Brandt"}, {"name": "Mariam Hofer"}]}</script>'
    )
    byline = "<p class='byline'>Von <a href='/a/fb'>Fiona Brandt</a> und <a href='/a/mh'>Mariam Hofer</a></p>"
    page = _page(two, f"<article><h1>Harbour report</h1>{byline}{article}</article>")
    assert extract_article(page).author == "Fiona Brandt und Mariam Hofer"
    # Never printed together: a list a reader can read, not the semicolons of a data field.
    page = _page(two, f"<article><h1>Harbour report</h1>{article}</article>")
    assert extract_article(page).author == "Fiona Brandt, Mariam Hofer"
    for given, name in [
        ("Maria &amp;amp; Katerina", "Maria & Katerina"),
        ("View all posts by Ada Rivera", "Ada Rivera"),
        ("This post was written by Ada Rivera", "Ada Rivera"),
        ("Sponsored by StackCommerce", "Sponsored by StackCommerce"),  # names the sponsor, not a writer
    ]:
        assert _author_given(given) == name


def test_a_box_of_prose_in_the_running_text_is_kept_whatever_its_class_name_says():
    from lxml import html

    from cupure.pipeline.extract.blocks import blocks_text
    from cupure.pipeline.extract.candidates import trafilatura_candidate

    flow = "".join(f"<p>{_paragraph(n)}</p>" for n in range(3))
    # A page builder's accordion: "-icon" in a wrapper's class is one of trafilatura's furniture words.
    method = (
        "<div class='kt-accordion-wrap kt-accodion-icon-style-arrow'><div class='kt-accordion-pane'>"
        "<p>To rank the harbour cafés we visited each of them twice, once on a weekday morning and once"
        " on a busy Saturday, and noted the wait, the price of a flat white and the view.</p>"
        "<p>Scores were then weighted: coffee counts for half, service for a third and the view for the"
        " rest, because a reader who crosses the town for a cup cares most about the cup.</p></div></div>"
    )
    teasers = (
        "<div class='related-icon-list'>"
        + "".join(
            f"<p><a href='/cafe-{n}'>Another harbour café worth a visit on a Sunday morning, number {n},"
            f" reviewed by our team last spring</a></p>"
            for n in range(3)
        )
        + "</div>"
    )
    body = f"<article><h1>Harbour cafés ranked</h1>{flow}{method}{teasers}<p>{_paragraph(9)}</p></article>"
    candidate = trafilatura_candidate(html.fromstring(_page("", body)), None)
    assert candidate is not None
    text = blocks_text(candidate.blocks)
    assert "once on a busy Saturday" in text and "cares most about the cup" in text
    assert "Another harbour café worth a visit" not in text


def test_a_blog_s_logo_heading_is_not_the_title_and_the_site_name_after_it_is_dropped():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    logo = "<h1><a href='https://harbourblog.example/' title='Home'>Harbour Blog</a></h1>"
    # No metadata: the title is the article's own <h1>, not the logo's.
    page = _page("", f"{logo}<article><h1>Tides rise at the old quay</h1>{article}</article>")
    assert extract_article(page).title == "Tides rise at the old quay"
    # A site name longer than the headline is still the part the page's headline does not repeat.
    head = "<meta property='og:title' content='TIDES RISE | The Harbour Conservation Society of Port Averly'>"
    page = _page(head, f"<article><h1>TIDES RISE</h1>{article}</article>")
    assert extract_article(page).title == "TIDES RISE"
    page = _page("", f"<article><h1><a href='/2024/tides'>Tides rise</a></h1>{article}</article>")
    assert extract_article(page).title == "Tides rise"  # a headline linking to its own page is no logo


@pytest.mark.parametrize("separator", ["•", "›", "|", "–"])
def test_the_site_name_after_any_common_title_separator_is_dropped(separator):
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    head = f"<meta property='og:title' content='Tides rise at the old quay {separator} Harbour Notes'>"
    head += "<meta property='og:site_name' content='Harbour Notes'>"
    page = _page(head, f"<article>{article}</article>")
    assert extract_article(page).title == "Tides rise at the old quay"


@pytest.mark.parametrize(
    ("language", "standfirst"),
    [
        ("en", "The council approves a new wall for the harbour after two years of storms"),
        ("de", "Der Rat beschließt nach zwei Jahren voller Stürme eine neue Mauer für den Hafen"),
    ],
)
def test_a_heading_standfirst_under_the_headline_is_kept_on_a_german_page_and_not_on_an_english_one(
    language, standfirst
):
    # German (and French, Spanish, ...) pages set the article's lead (Vorspann, chapô) as a heading
    # under the headline; an English page's heading there is a dek that the text goes on to repeat.
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    body = f"<article><h1>Harbour wall approved</h1><h2>{standfirst}</h2>{article}</article>"
    head = "<head><title>Harbour wall approved</title></head>"
    page = f"<html lang='{language}'>{head}<body>{body}</body></html>"
    text = extract_article(page).text
    assert text.startswith(standfirst) == (language == "de")
    assert _paragraph(0) in text


def test_the_publication_date_is_the_publishers_own_day_not_the_utc_one():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    head = "<meta property='article:published_time' content='2022-05-04T00:30:00+02:00'>"
    published = extract_article(
        _page(head, f"<article><h1>Harbour report</h1>{article}</article>")
    ).published_at
    assert published.date() == dt.date(2022, 5, 4)
    assert published == dt.datetime(2022, 5, 3, 22, 30, tzinfo=dt.UTC)


def test_the_title_is_the_headline_readers_see_and_the_body_does_not_repeat_it():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    head = "<meta property='og:title' content='Harbour Ferry News 2026 | Ledger'>"
    body = (
        f"<header><h1>The Ledger</h1></header><article><h1>Harbour ferry returns after repairs</h1>{article}"
    )
    extracted = extract_article(_page(head, body + "</article>"))
    assert extracted.title == "Harbour ferry returns after repairs"
    assert "Harbour ferry returns" not in extracted.text
    # A lone <h1> that tells another story (a section label) does not replace the metadata title.
    label = f"<article><h1>Latest stories</h1>{article}</article>"
    assert extract_article(_page(head, label)).title.startswith("Harbour Ferry News 2026")


def test_a_bare_year_in_the_page_is_no_publication_date():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    page = _page(
        "", f"<article><h1>Best harbour walks of 2024</h1>{article}<p>© 2024 The Ledger</p></article>"
    )
    assert extract_article(page).published_at is None


def _page_with_lead(between: str) -> str:
    lead = "Der Hafen von Port Averly bekommt nach dem Sturm eine neue Mauer, zwei Meter höher als die alte."
    body = "".join(f"<p>{_paragraph(n)}</p>" for n in range(5))
    return (
        '<html lang="de"><head><title>Neue Hafenmauer</title>'
        f'<meta name="description" content="{lead}"></head>'
        f'<body><nav><a href="/">Start</a> <a href="/hafen">Hafen</a></nav><header><h1>Neue Hafenmauer</h1>'
        f'<p class="teaser">{lead}</p>{between}</header><div class="article-body">{body}</div>'
        "<footer><p>Impressum · Datenschutz</p></footer></body></html>"
    )


def test_a_lead_paragraph_printed_just_above_the_body_and_repeated_as_the_description_is_kept():
    from cupure.pipeline.extract import extract_article

    text = extract_article(_page_with_lead("<time>12.03.2026</time>")).text
    assert text.startswith("Der Hafen von Port Averly bekommt nach dem Sturm eine neue Mauer")
    assert text.count("zwei Meter höher") == 1


def test_an_author_box_after_the_article_is_left_out():
    # A class in CamelCase, as component frameworks write it: trafilatura keeps such a box.
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(5))
    box = (
        '<div class="Story__AuthorBox"><img src="/anna.jpg" alt=""><h4>Anna Beispiel</h4>'
        "<p>Seit 2010 berichtet sie über Häfen, Schiffe und das Wetter an der Küste von Averly.</p></div>"
    )
    page = _page("", f"<article><h1>Harbour report</h1>{article}{box}</article>")
    text = extract_article(page).text
    assert text.startswith("The survey found") and text.rstrip().endswith("the report said.")
    assert "Seit 2010" not in text


def _page_with_classed_lead(lead_html: str) -> str:
    # The description says something else than the lead, as on many pages: only the class tells.
    body = "".join(f"<p>{_paragraph(n)}</p>" for n in range(5))
    return (
        '<html lang="de"><head><title>Neue Hafenmauer</title>'
        '<meta name="description" content="Alles zur neuen Hafenmauer, mit Bildern und Karte."></head>'
        '<body><nav><a href="/">Start</a> <a href="/hafen">Hafen</a></nav><header><h1>Neue Hafenmauer</h1>'
        f'{lead_html}</header><div class="article-body">{body}</div>'
        "<footer><p>Impressum · Datenschutz</p></footer></body></html>"
    )


def test_a_lead_paragraph_named_by_its_class_just_above_the_body_is_kept():
    from cupure.pipeline.extract import extract_article

    lead = "Der Hafen von Port Averly bekommt nach dem Sturm eine neue Mauer, zwei Meter höher als die alte."
    text = extract_article(_page_with_classed_lead(f'<div class="article-intro"><p>{lead}</p></div>')).text
    assert text.startswith(lead)
    assert text.count("zwei Meter höher") == 1


def test_a_teaser_box_of_links_or_a_teaser_without_a_sentence_is_not_taken_for_the_lead():
    from cupure.pipeline.extract import extract_article

    links = (
        '<div class="teaser">Mehr zum Thema: <a href="/a">Sturmflut trifft die Nordküste und den Kai</a>, '
        '<a href="/b">Stadt plant neue Deiche bis zum Jahr 2030</a>.</div>'
    )
    label = '<p class="intro">Hafen, Verkehr und Umwelt in Port Averly und den Gemeinden der Küste</p>'
    for furniture in (links, label):
        text = extract_article(_page_with_classed_lead(furniture)).text
        assert text.startswith("The survey found"), furniture


def test_a_deck_above_the_byline_and_share_bar_is_left_out_as_the_benchmarks_do():
    from cupure.pipeline.extract import extract_article

    furniture = (
        '<p class="byline">Von Anna Beispiel, Redakteurin für Hafen und Verkehr, mit Agenturen</p>'
        '<ul class="share"><li>Teilen auf Facebook</li><li>Teilen per E-Mail</li><li>Link kopieren</li></ul>'
    )
    text = extract_article(_page_with_lead(furniture)).text
    assert "zwei Meter höher" not in text and text.startswith("The survey found")


def test_a_linked_address_or_a_quote_s_linked_source_is_kept_while_a_linked_teaser_goes():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import drop_promos

    blocks = [
        Block("p", _paragraph(1)),
        Block("p", "Columnist Dana Reyes"),
        Block("p", "dana.reyes@example.org", link_share=1.0),
        Block("p", "Tickets: https://tickets.example/harbour-festival-2026", link_share=0.8),
        Block("quote", "The crossing was smooth and the crew were friendly."),
        Block("p", "[Harbour Gazette]", link_share=0.9),
        Block("p", "Read: Ferry timetable changes for the winter", link_share=0.85),
    ]
    kept = [b.text for b in drop_promos(blocks)]
    assert kept == [b.text for b in blocks[:6]]


def test_a_subheading_printed_as_a_plain_div_between_paragraphs_is_kept():
    paragraphs = [f"<p>{_paragraph(n)}</p>" for n in range(6)]
    body = "".join(paragraphs[:3]) + '<div class="pf_subheadline">Who pays for the new ferry?</div>'
    body += "".join(paragraphs[3:])
    article = extract_article(_page("<title>Ferry costs</title>", f"<article>{body}</article>"))
    assert "Who pays for the new ferry?" in article.text
    assert article.text.index("Who pays") < article.text.index(_paragraph(3)[:40])


def test_a_post_embedded_in_a_widget_between_paragraphs_is_kept_as_part_of_the_story():
    tweet = (
        '<div class="article-widget article-tweet"><div class="tweet__inner">'
        '<blockquote class="twitter-tweet"><p lang="en">The ferry is back on time from Monday.'
        " Thank you all for your patience.</p>&mdash; Harbour Ferries (@harbourferries) "
        '<a href="https://twitter.com/harbourferries/status/1">November 20, 2026</a></blockquote>'
        "</div></div>"
    )
    paragraphs = [f"<p>{_paragraph(n)}</p>" for n in range(6)]
    body = "".join(paragraphs[:3]) + tweet + "".join(paragraphs[3:])
    article = extract_article(_page("<title>Ferry costs</title>", f"<article>{body}</article>"))
    assert "The ferry is back on time from Monday." in article.text
    assert _paragraph(5)[:40] in article.text


def test_an_inline_box_printed_as_one_block_of_teaser_links_is_dropped_and_the_article_goes_on():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import cut_at_end_marker

    prose = [_paragraph(n) for n in range(6)]
    box = Block(
        "p",
        "DON'T MISS\nFerry fares to rise in spring [NEWS]\nHarbour wall repairs begin [INSIGHT]",
        link_share=0.85,
    )
    blocks = [Block("p", p) for p in prose[:3]] + [box] + [Block("p", p) for p in prose[3:]]
    assert [b.text for b in cut_at_end_marker(blocks)] == prose


def test_a_list_of_related_links_set_into_the_text_is_dropped_but_an_introduced_list_is_kept():
    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.cleanup import drop_link_lists_in_text

    related = [
        Block("li-ul", "Photos: the harbour's new ferry on its first crossing", link_share=1.0),
        Block("li-ul", "Ferry fares to rise in spring, operator says", link_share=1.0),
    ]
    closing = Block("p", "Originally published on Harbour Ledger.")
    prose = Block("p", _paragraph(1))
    assert drop_link_lists_in_text([prose, *related, closing]) == [prose, closing]
    introduced = Block("p", _paragraph(2) + " The full figures are in these reports:")
    assert drop_link_lists_in_text([introduced, *related, closing]) == [introduced, *related, closing]


def _trafilatura_text(page: str) -> str:
    """The text of trafilatura's candidate for ``page``, after the tree edits made before it reads."""
    from lxml import html

    from cupure.pipeline.extract.blocks import blocks_text
    from cupure.pipeline.extract.candidates import trafilatura_candidate

    candidate = trafilatura_candidate(html.fromstring(page), None)
    assert candidate is not None
    return blocks_text(candidate.blocks)


def _cards(headline: str, count: int) -> str:
    return "".join(
        f"<article class='elementor-post elementor-grid-item'><h3 class='elementor-post__title'>"
        f"<a href='/posts/{n}'>{headline.format(n=n)}</a></h3><div class='elementor-post__excerpt'><p>"
        f"Navigating the harbour permit process can be overwhelming for a first-time boat owner. The rules"
        f" are complex, the deadlines strict and the forms long, and in part {n} of this series we explain"
        f" how an adviser can help you through every step of it.</p></div></article>"
        for n in range(count)
    )


def test_a_grid_of_teaser_cards_after_the_article_is_not_taken_for_its_closing_paragraphs():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(4))
    cards = _cards("Your guide to harbour permits, part {n}", 3)
    grid = f"<div class='elementor-posts-container'>{cards}</div>"
    page = _page("", f"<div class='entry-content'><h1>Harbour rents</h1>{article}{grid}</div>")
    text = extract_article(page).text
    assert _paragraph(3) in text
    assert "permit process" not in text
    # Posts in a forum thread are <article>s too, headed by their writer's linked name: they stay.
    posts = "".join(
        f"<article class='message'><h4><a href='/members/{n}'>skipper{n}</a></h4><p>{_paragraph(n)}</p>"
        "</article>"
        for n in range(4)
    )
    thread = _trafilatura_text(_page("", f"<div class='thread'><h1>Harbour rents</h1>{posts}</div>"))
    assert _paragraph(0) in thread and _paragraph(3) in thread


def test_a_closing_box_about_the_bylined_author_is_not_part_of_the_article():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(5))
    bio = (
        "<div class='writer'><p>Karina Lund owns a small charter company in Port Averly and has sailed its"
        " coast for twenty years.</p><p>When she is not at sea, Karina teaches navigation to"
        " beginners.</p></div>"
    )
    page = _page("<meta name='author' content='Karina Lund'>", f"<article>{article}{bio}</article>")
    extracted = extract_article(page)
    assert extracted.author == "Karina Lund"
    assert _paragraph(4) in extracted.text
    assert "charter company" not in extracted.text and "teaches navigation" not in extracted.text
    # A brand's byline: the article's last words about the brand are the article's own.
    closing = "<p>Harbourline is already building two more ferries for the northern route next year.</p>"
    brand = "<meta name='author' content='Harbourline Official'>"
    page = _page(brand, f"<article>{article}{closing}</article>")
    assert "two more ferries" in extract_article(page).text


def test_the_bylined_author_s_card_by_first_name_is_not_part_of_the_article():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(5))
    card = (
        "<p>Karina is an experienced reporter who has covered the harbour and its ferries for the past"
        " eight years, with a focus on shipping and the people who work the coast.</p>"
    )
    head = "<meta name='author' content='Karina Lund'>"
    for body in (f"<article>{card}{article}</article>", f"<article>{article}{card}</article>"):
        extracted = extract_article(_page(head, body))
        assert _paragraph(0) in extracted.text and _paragraph(4) in extracted.text
        assert "experienced reporter" not in extracted.text
    # A paragraph of the story about someone who shares the author's first name, with no job, stays.
    story = "<p>Karina is the name the crew gave the old ferry when it was first launched from the yard.</p>"
    extracted = extract_article(_page(head, f"<article>{story}{article}</article>"))
    assert "the crew gave the old ferry" in extracted.text


def test_a_link_in_a_list_item_broken_by_a_line_break_keeps_the_space_before_it():
    # trafilatura's link mode trimmed the text before each link there: "Learn more aboutHonorlock".
    items = "".join(
        f"<li><strong>Step {n}: check the tools</strong>.<br>These tools watch the exams closely."
        f" Learn more about <a href='/guides/{n}'>Honorlock</a> and <a href='/t/{n}'>Turnitin</a>,"
        " two tools the course uses.</li>"
        for n in range(4)
    )
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(3))
    extracted = extract_article(_page("", f"<article>{article}<ul>{items}</ul></article>"))
    assert "Learn more about Honorlock and Turnitin" in extracted.text
    assert "aboutHonorlock" not in extracted.text
    # A link inside a word, as the page prints it, stays inside the word.
    inside = "<p>The crew will un<a href='/lock'>lock</a> the gates at dawn on Monday morning.</p>"
    extracted = extract_article(_page("", f"<article>{article}{inside}</article>"))
    assert "unlock the gates" in extracted.text


def test_posts_under_a_you_may_like_heading_are_not_the_article_s_closing_paragraphs():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(3))
    # A reflections blog: cards of other posts, no headline of their own, under "Você pode gostar...".
    cards = "".join(
        f"<article class='postbox post-{n}'><img src='/{n}.jpg' alt=''><p>A vida pede coragem para esperar"
        f" o melhor e fazer o melhor acontecer, e a reflexão número {n} fala de como começar de novo a cada"
        " manhã, sem medo e com fé no caminho que ainda falta percorrer.</p></article>"
        for n in range(3)
    )
    related = (
        f"<article class='postbox'><h3 class='relatedpoststitle'>Você pode gostar...</h3>{cards}</article>"
    )
    page = _page(
        "", f"<div class='columns'><article><h1>Só quem se ama</h1>{article}</article>{related}</div>"
    )
    # The cards go before trafilatura reads the page: it may drop the heading that announced them.
    text = _trafilatura_text(page)
    assert _paragraph(2) in text and "reflexão número" not in text
    assert "reflexão número" not in extract_article(page).text


def test_a_paywall_pitch_and_its_offer_end_the_article():
    article = "".join(f"<p>{_paragraph(n)}</p>" for n in range(5))
    pitch = (
        "<p>Become a paid subscriber to the Harbour Letter to unlock this piece and learn about:</p>"
        "<ul><li>Why the new quay wall will cost twice the first estimate</li>"
        "<li>Which harbour businesses are already planning to move inland</li></ul>"
        "<p>What is included in a subscription? Daily insights, the full archive and early access.</p>"
    )
    text = extract_article(_page("", f"<article><h1>Quay costs</h1>{article}{pitch}</article>")).text
    assert _paragraph(4) in text
    assert "unlock this piece" not in text and "move inland" not in text and "full archive" not in text


def _section_page(between: str) -> str:
    return (
        "<html><body><main><h1>Harbour guide</h1>"
        f"<p>{_paragraph(0)}</p><p>{_paragraph(1)}</p>{between}<p>{_paragraph(2)}</p><p>{_paragraph(3)}</p>"
        "</main></body></html>"
    )


_BERTHS = "Where the berths are"
_HOURS = "<h2>Opening hours</h2><!-- hours --><ul><li>Monday to Friday</li><li>Saturday morning</li></ul>"
_NOTE = "Small boats may also tie up at the old fish quay, which the harbour master keeps free in summer."


@pytest.mark.parametrize(
    ("between", "restored"),
    [
        (f"<h2><strong>{_BERTHS}</strong></h2>", [("h2", _BERTHS)]),
        (f"<h3>{_BERTHS}</h3><figure><img src='berths.jpg'></figure>", [("h3", _BERTHS)]),
        (_HOURS, [("h2", "Opening hours"), ("li-ul", "Monday to Friday"), ("li-ul", "Saturday morning")]),
        (
            "<ol><li>Book a berth</li><li>Pay at the gate</li></ol>",
            [("li-ol", "Book a berth"), ("li-ol", "Pay at the gate")],
        ),
        (
            "<ol><li>Book a berth<script>track({'item': 'berth'})</script></li><li>Pay at the gate</li></ol>",
            [("li-ol", "Book a berth"), ("li-ol", "Pay at the gate")],
        ),
        (f"<div class='box'><h3>{_BERTHS}</h3></div>", []),
        ("<h2>Related posts</h2>", []),
        ("<h2>Mehr zum Thema auf example.de</h2>", []),
        ("<h2>Get our newsletter</h2><form><label>Your e-mail address</label></form>", []),
        ("<h2>The Harbour Newsletter</h2><form><input name='email'></form>", []),
        ("<h2>Opening hours</h2><!-- hours --><p>Printed on the board by the gate.</p>", []),
        ("<h2><a href='/other'>Another story about the harbour wall</a></h2>", []),
        (
            "<ul><li><a href='/a'>Another story about the wall</a></li><li><a href='/b'>Ferry</a></li></ul>",
            [],
        ),
        (
            f"<aside><h3>A note on dinghies</h3><p>{_NOTE}</p></aside>",
            [("h3", "A note on dinghies"), ("p", _NOTE)],
        ),
        ("<aside><p>Share this story with a friend</p></aside>", []),
        (f"<aside><h3>Related stories</h3><p>{_NOTE}</p></aside>", []),
        (f"<aside><p><a href='/quay'>{_NOTE}</a></p></aside>", []),
    ],
    ids=[
        "bold subheading",
        "subheading and photo",
        "subheading and list",
        "list",
        "list with a tracking script",
        "boxed heading",
        "end marker",
        "marker with more",
        "form",
        "newsletter",
        "text between",
        "teaser",
        "list of links",
        "side note",
        "short aside",
        "related box",
        "linked aside",
    ],
)
def test_a_subheading_or_list_the_extractor_dropped_between_two_body_paragraphs_is_put_back(
    between, restored
):
    from lxml import html

    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.headings import restore_headings

    blocks = [Block("p", _paragraph(n)) for n in range(4)]
    kept = restore_headings(html.fromstring(_section_page(between)), blocks)
    assert kept == [*blocks[:2], *(Block(kind, text, text) for kind, text in restored), *blocks[2:]]


def test_a_subheading_already_in_the_body_or_above_its_first_block_is_not_added():
    from lxml import html

    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.headings import restore_headings

    page = html.fromstring(_section_page("<h2>Where the berths are</h2>"))
    with_heading = [Block("p", _paragraph(0)), Block("p", _paragraph(1)), Block("h2", "Where the berths are")]
    with_heading += [Block("p", _paragraph(2))]
    assert restore_headings(page, with_heading) == with_heading
    from_the_third = [Block("p", _paragraph(n)) for n in (2, 3)]
    assert restore_headings(page, from_the_third) == from_the_third


def test_a_frameset_page_gives_an_empty_article_instead_of_an_error():
    page = "<html><head><title>Framed</title></head><frameset><frame src='/menu'></frameset></html>"
    assert extract_article(page).text == ""


def test_an_unclosed_menu_button_does_not_swallow_the_article_into_one_paragraph():
    # A page family's header: a menu button holding <div>s it never closes. Browsers close them at
    # </button>; libxml2 alone kept the whole page, article included, inside the button.
    paragraphs = [_paragraph(n) for n in range(4)]
    page = (
        "<html><head><title>Harbour guide</title></head><body><header><div class='menu'>"
        "<button class='menu-button' aria-label='Main menu'><div class='inner'><div></button></div>"
        "<a href='/'>Home</a></header><main><article><h1>Harbour guide</h1>"
        + "".join(f"<p>{text}</p>" for text in paragraphs)
        + "</article></main></body></html>"
    )
    article = extract_article(page)
    assert article.text.split("\n\n") == paragraphs


def test_an_article_body_given_as_one_run_of_text_is_cut_where_the_page_prints_its_paragraphs():
    from lxml import html

    from cupure.pipeline.extract.blocks import Block
    from cupure.pipeline.extract.paragraphs import split_as_printed

    paragraphs = [_paragraph(n) * 3 for n in range(3)]
    heading = "Where the berths are"
    page = html.fromstring(
        f"<html><body><p>{paragraphs[0]}</p><h2>{heading}</h2><div>{paragraphs[1]}</div>"
        f"<p>{paragraphs[2]}</p></body></html>"
    )
    # The articleBody runs sentences together without a space, as CMSs that strip tags print it.
    run = Block("p", f"{paragraphs[0]} {heading} {paragraphs[1]}{paragraphs[2]}")
    printed_elsewhere = [Block("p", paragraphs[1])]  # a <div> paragraph: known from trafilatura's blocks
    kept = split_as_printed([run], page, printed_elsewhere)
    assert [(b.kind, b.text) for b in kept] == [
        ("p", paragraphs[0]),
        ("h2", heading),
        ("p", paragraphs[1]),
        ("p", paragraphs[2]),
    ]
    # A phrase that only looks like the heading, inside a sentence, is no cut.
    inside = Block("p", f"{paragraphs[0]} We asked Where the berths are for the ferry. {paragraphs[2]}")
    assert [b.kind for b in split_as_printed([inside], page)] == ["p", "p"]


def test_a_subheading_that_links_to_itself_is_kept_as_a_heading():
    # Section links for sharing: the heading's text is a link to the heading's own anchor.
    paragraphs = [_paragraph(n) for n in range(4)]
    page = (
        "<html><head><title>Harbour guide</title></head><body><article><h1>Harbour guide</h1>"
        f"<p>{paragraphs[0]}</p><p>{paragraphs[1]}</p>"
        "<h2 id='berths'><a href='#berths'>Where the berths are</a></h2>"
        f"<p>{paragraphs[2]}</p><p>{paragraphs[3]}</p></article></body></html>"
    )
    article = extract_article(page)
    assert "<h2>Where the berths are</h2>" in article.html
    assert article.text.split("\n\n")[2] == "Where the berths are"


def test_a_name_set_in_a_button_inside_a_sentence_stays_in_the_sentence():
    # A side-note launcher: the button opens a profile card; the name is part of the sentence.
    quote = (
        "“The tide tables were wrong for a week,” said harbour master"
        "<button class='sidenote-button'>Jane Doe</button>, who keeps the logbook at the gate."
    )
    paragraphs = [_paragraph(n) for n in range(3)]
    page = (
        "<html><head><title>Harbour guide</title></head><body><article><h1>Harbour guide</h1>"
        f"<p>{paragraphs[0]}</p><p>{quote}</p><p>{paragraphs[1]}</p><p>{paragraphs[2]}</p>"
        "<p><button>Share</button></p></article></body></html>"
    )
    text = extract_article(page).text
    assert "said harbour master Jane Doe, who keeps the logbook" in " ".join(text.split())
    assert "Share" not in text
