from cupure.pipeline.similarity.stories import DAY, ClusterConfig, OnlineStoryClusterer, StoryDoc, StoryRecord
from cupure.pipeline.similarity.vectors import IdfModel

FLOOD = [
    (
        "Floods hit Valencia",
        "Flash floods hit Valencia after record rain; rescuers searched cars in Paiporta.",
    ),
    (
        "Valencia flood toll rises",
        "The death toll from the Valencia floods rose as rescuers reached Paiporta.",
    ),
    (
        "Rescuers dig through Paiporta mud",
        "Valencia floods: rescuers in Paiporta dig through mud and wrecked cars.",
    ),
]
CHESS = [
    (
        "Gukesh wins chess title",
        "Gukesh beat Ding Liren in Singapore to become the youngest chess world champion.",
    ),
    (
        "Youngest world chess champion",
        "Ding Liren lost the final game in Singapore and Gukesh took the chess crown.",
    ),
]


def _docs(items, prefix, start=0.0, step=3600.0):
    return [
        StoryDoc(id=f"{prefix}{i}", title=t, text=x, time=start + i * step, source=f"s{i}")
        for i, (t, x) in enumerate(items)
    ]


def _run(engine, docs):
    return {doc.id: engine.add(doc) for doc in docs}


def test_articles_on_one_event_join_one_story_and_another_event_starts_its_own():
    engine = OnlineStoryClusterer()
    out = _run(engine, _docs(FLOOD, "f") + _docs(CHESS, "c", start=10 * 3600))
    assert len({out[f"f{i}"].story_id for i in range(3)}) == 1
    assert out["f0"].new and not out["f1"].new
    assert out["c0"].new and out["c1"].story_id == out["c0"].story_id != out["f0"].story_id


def test_a_story_closes_after_the_time_window():
    engine = OnlineStoryClusterer(config=ClusterConfig(window_seconds=DAY))
    first = engine.add(_docs(FLOOD[:1], "a")[0])
    late = engine.add(StoryDoc(id="late", title=FLOOD[1][0], text=FLOOD[1][1], time=5 * DAY))
    assert late.new and late.story_id != first.story_id
    assert first.story_id not in engine.state.stories


def test_pinned_article_joins_its_story_whatever_the_score():
    engine = OnlineStoryClusterer()
    flood = _run(engine, _docs(FLOOD[:1], "f"))["f0"]
    engine.pin("c0", flood.story_id)
    chess = engine.add(_docs(CHESS[:1], "c")[0])
    assert chess.story_id == flood.story_id and not chess.new


def test_forbidden_pairing_is_never_made():
    engine = OnlineStoryClusterer()
    flood = engine.add(_docs(FLOOD[:1], "f")[0])
    engine.forbid("f1", flood.story_id)
    second = engine.add(_docs(FLOOD, "f")[1])
    assert second.story_id != flood.story_id


def test_close_stories_merge_and_the_merge_is_reported():
    # A join threshold above any score keeps every article apart; merges then do the grouping.
    engine = OnlineStoryClusterer(
        config=ClusterConfig(join_threshold=1.01, merge_threshold=0.2, small_story=0)
    )
    ids = [engine.add(d) for d in _docs(FLOOD, "f")]
    assert ids[0].new
    merged = [m for a in ids for m in a.merged]
    assert merged, "the flood articles should have been merged into one story"
    assert len(engine.state.stories) < 3


def test_locked_story_is_not_merged():
    engine = OnlineStoryClusterer(
        config=ClusterConfig(join_threshold=1.01, merge_threshold=0.0, small_story=0)
    )
    first = engine.add(_docs(FLOOD, "f")[0])
    engine.lock(first.story_id)
    second = engine.add(_docs(FLOOD, "f")[1])
    assert second.merged == [] and first.story_id in engine.state.stories


def test_state_round_trips_through_json_and_a_restored_clusterer_keeps_assigning():
    engine = OnlineStoryClusterer()
    first = engine.add(_docs(FLOOD[:1], "f")[0])
    records = [StoryRecord.from_json(sid, rec.to_json()) for sid, rec in engine.state.stories.items()]
    restored = OnlineStoryClusterer.restore(
        records, idf=IdfModel.from_json(engine.idf.to_json(min_df=1)), new_story_id=lambda: "fresh"
    )
    again = restored.add(_docs(FLOOD, "f")[1])
    assert again.story_id == first.story_id and not again.new
    assert restored.add(_docs(CHESS[:1], "c")[0]).story_id == "fresh"


def test_precomputed_vector_is_used_as_given():
    engine = OnlineStoryClusterer()
    out = engine.add(StoryDoc(id="v", title="", text="", vector={"valencia": 1.0}))
    assert out.vector == {"valencia": 1.0} and out.new


CUP_FINAL = [
    (
        "Ashby Vale reach the Harbour Cup final",
        "Ashby Vale beat Tollgate 2-0 in the semi-final and will play Redmarsh in the Harbour Cup final.",
    ),
    (
        "Heartbreak for Ashby Vale in the Harbour Cup final",
        "Redmarsh scored twice in extra time to beat Ashby Vale in the Harbour Cup final at Kingsmere.",
    ),
]
WARD_REVIEW = (
    "Boundary review could give Ashby Vale a second councillor",
    "Draft proposals would split the growing Ashby Vale ward in two; residents have eight weeks to reply.",
)


def test_an_item_sharing_only_a_place_name_with_a_story_starts_its_own():
    def ward_joins_the_cup_story(config: ClusterConfig) -> bool:
        engine = OnlineStoryClusterer(config=config)
        cup = _run(engine, _docs(CUP_FINAL, "cup"))
        ward = engine.add(StoryDoc(id="ward", title=WARD_REVIEW[0], text=WARD_REVIEW[1], time=3 * 3600.0))
        return ward.story_id == cup["cup0"].story_id or cup["cup0"].story_id in ward.merged

    assert not ward_joins_the_cup_story(ClusterConfig())
    assert ward_joins_the_cup_story(ClusterConfig(beyond_name=0.0))  # the name alone reaches the threshold
