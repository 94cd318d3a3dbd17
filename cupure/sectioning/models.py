"""Section classifier state: the trained models, newest last."""

from __future__ import annotations

from django.db import models


class SectionModel(models.Model):
    """A trained ``SectionClassifier`` (plain arrays, see ``cupure.pipeline.sections``)."""

    trained_at = models.DateTimeField(db_index=True)
    labels = models.JSONField(default=list)  # the section slugs it can predict
    label_counts = models.JSONField(default=dict)  # training articles per section slug
    model = models.BinaryField()
    train_count = models.PositiveIntegerField(default=0)
    # Share of a held-out slice (not used for the accuracy model's training) predicted right.
    accuracy = models.FloatField(null=True, blank=True)
    held_out_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"

    def __str__(self) -> str:
        return f"section model of {self.trained_at:%Y-%m-%d %H:%M} ({len(self.labels)} sections)"


class TextEmbedding(models.Model):
    """A sentence embedding computed once: the encoder costs ~0.1-0.3 s a text, a lookup far less.

    Keyed by the SHA-256 of the encoder's name and the text, so an edited article or another encoder
    simply gets a new row; rows not needed again age out (``embeddings_prune``).
    """

    digest = models.CharField(max_length=64, unique=True)
    vector = models.BinaryField()  # float32, little-endian
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"embedding {self.digest[:12]}"
