"""Detection engines behind one interface (:class:`pipelines.detection.base.Detector`)."""
