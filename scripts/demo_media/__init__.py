"""Helpers of scripts/make-demo-media: illustrations, narration and captions, story videos."""
