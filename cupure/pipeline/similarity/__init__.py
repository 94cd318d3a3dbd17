"""Story clustering, Similar News scoring and near-duplicate detection (pure functions, no Django)."""

from cupure.pipeline.similarity.neardup import Signature, is_near_duplicate, neardup_signature
from cupure.pipeline.similarity.stories import (
    Assignment,
    ClusterConfig,
    OnlineStoryClusterer,
    StoryDoc,
    StoryRecord,
    StoryState,
)
from cupure.pipeline.similarity.vectors import IdfModel, cosine, doc_vector, similar_score

__all__ = [
    "Assignment",
    "ClusterConfig",
    "IdfModel",
    "OnlineStoryClusterer",
    "Signature",
    "StoryDoc",
    "StoryRecord",
    "StoryState",
    "cosine",
    "doc_vector",
    "is_near_duplicate",
    "neardup_signature",
    "similar_score",
]
