"""Collection: sources list repositories, detectors turn each into facts, `run` drives both."""
