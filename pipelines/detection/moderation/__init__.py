"""Offline moderation and prompt-injection detection (see docs/MODEL_CARD_moderation.md).

Runtime: :class:`pipelines.detection.moderation.classifier.ModerationDetector` (numpy only).
Training: ``python -m pipelines.detection.moderation.train`` (needs the ``train`` extra).
"""
